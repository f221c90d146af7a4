import { basename, join } from 'node:path';
import { AssetBuilder } from '../assets/asset-builder.js';
import { openCapture } from '../capture/open.js';
import { PcapWriter } from '../capture/pcap-writer.js';
import { DetectionEngine } from '../detect/engine.js';
import { createDetectors } from '../detect/registry.js';
import { fieldString, fieldStrings } from '../events/fields.js';
import { type LogRecord, type LogSink, SinkFanout } from '../events/record.js';
import { analyzeCaptures } from '../pipeline/analyze.js';
import { BaselineLearner } from '../policy/baseline.js';
import { validateSite } from '../policy/site-file.js';
import { SitePolicy } from '../policy/site-policy.js';
import type { Site } from '../policy/site-schema.js';
import { packetFlows, type PacketScore, readPacketLabels, scorePackets } from './packet-labels.js';

/** One labelled capture: the capture and its per-packet label file (`packet_number;label`). */
export interface LabelledCapture {
  capture: string;
  labels: string;
}

/** The result for one capture. */
export interface LabelledResult {
  capture: string;
  score: PacketScore;
  /** Findings raised: detector, severity, title, hosts. */
  findings: Array<{ detector: string; severity: string; title: string; hosts: string[]; malicious: boolean }>;
}

/** Keeps records of some streams. */
class Keep implements LogSink {
  readonly records = new Map<string, LogRecord[]>();
  constructor(private readonly streams: ReadonlySet<string>) {}
  write(stream: string, r: LogRecord): void {
    if (!this.streams.has(stream)) return;
    let l = this.records.get(stream);
    if (l === undefined) this.records.set(stream, (l = []));
    l.push(r);
  }
  async close(): Promise<void> {}
  get(stream: string): LogRecord[] {
    return this.records.get(stream) ?? [];
  }
}

/**
 * Writes the packets labelled normal (0) of a capture to `out` (classic pcap, same link type and
 * timestamps): the attack-free traffic a baseline is learned from.
 * @returns packets written
 */
export async function writeNormalPackets(c: LabelledCapture, out: string): Promise<number> {
  const labels = readPacketLabels(c.labels);
  const reader = await openCapture(c.capture, 0);
  let writer: PcapWriter | null = null;
  let n = 0;
  let i = 0;
  for await (const batch of reader.batches()) {
    for (const raw of batch) {
      if (labels[i++] !== true) {
        writer ??= PcapWriter.toFile(out, { linkType: raw.linkType });
        writer.writePacket(raw.ts, raw.data, raw.origLen);
        n++;
      }
    }
  }
  writer?.close();
  return n;
}

/** A site learned (`cranewatch baseline`'s learner) from the given clean captures. */
export async function learnSite(captures: readonly string[], unlocode: string): Promise<Site> {
  const learner = new BaselineLearner();
  const assets = new AssetBuilder();
  await analyzeCaptures(captures, { sink: new SinkFanout([learner, assets]), payloadTap: learner.tap(), onArp: (a, ts) => assets.observeArp(a, ts) });
  for (const r of assets.records()) learner.write('assets', r);
  return validateSite(learner.site(captures.map((p) => basename(p)), unlocode).site, 'learned site');
}

/**
 * Detection quality on captures labelled per packet: learn a site (terminal `unlocode`) from the
 * attack-free packets of `learnFrom` (written to `workDir`), analyze each capture of `cases` against
 * it, flag the packets of the flows its findings cite as evidence, and score them against the
 * labels. A finding counts as on malicious traffic when one of its evidence flows holds a packet
 * labelled malicious.
 */
export async function evaluateLabelled(cases: readonly LabelledCapture[], learnFrom: readonly LabelledCapture[], workDir: string, unlocode: string): Promise<LabelledResult[]> {
  const clean: string[] = [];
  for (const c of learnFrom) {
    const out = join(workDir, `normal-${basename(c.capture)}`);
    if ((await writeNormalPackets(c, out)) > 0) clean.push(out);
  }
  const policy = new SitePolicy(await learnSite(clean, unlocode));
  const results: LabelledResult[] = [];
  for (const c of cases) {
    const keep = new Keep(new Set(['conn', 'findings']));
    const engine = new DetectionEngine(createDetectors(policy), policy, keep);
    const assets = new AssetBuilder();
    await analyzeCaptures([c.capture], { sink: new SinkFanout([keep, engine, assets]), onArp: (a, ts) => assets.observeArp(a, ts) });
    for (const r of assets.records()) engine.write('assets', r);
    engine.finish();
    const findings = keep.get('findings');
    const flagged = new Set<string>();
    for (const f of findings) for (const u of fieldStrings(f, 'evidence_uids')) flagged.add(u);
    const labels = readPacketLabels(c.labels);
    const uids = await packetFlows(c.capture, keep.get('conn'));
    // A flow is malicious when one of its packets is labelled so.
    const maliciousFlows = new Set<string>();
    uids.forEach((u, i) => {
      if (u !== null && labels[i] === true) maliciousFlows.add(u);
    });
    results.push({
      capture: basename(c.capture),
      score: scorePackets(
        uids.map((u) => u !== null && flagged.has(u)),
        labels,
      ),
      findings: findings.map((f) => ({
        detector: fieldString(f, 'detector'),
        severity: fieldString(f, 'severity'),
        title: fieldString(f, 'title'),
        hosts: fieldStrings(f, 'hosts'),
        malicious: fieldStrings(f, 'evidence_uids').some((u) => maliciousFlows.has(u)),
      })),
    });
  }
  return results;
}
