import { readFileSync } from 'node:fs';
import { openCapture } from '../capture/open.js';
import { DEFAULT_LIMITS } from '../config/limits.js';
import { Decoder, newDecodedPacket } from '../decode/decoder.js';
import { CwError } from '../errors.js';
import { fieldNumber, fieldString } from '../events/fields.js';
import type { LogRecord } from '../events/record.js';

/**
 * Per-packet labels (`packet_number;label`, 1-based packet numbers, 0 normal and 1 malicious, no
 * header — the format of the Lemay & Fernandez Modbus data set, CSET 2016). Commas are accepted as
 * separators too.
 * @returns labels[i] for packet i + 1 (true = malicious)
 * @throws CwError CW_ERR_READ when the file cannot be read, CW_ERR_CONFIG naming the line when a line is not `number;0|1`
 */
export function readPacketLabels(path: string): boolean[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new CwError('CW_ERR_READ', `cannot read ${path}: ${(e as Error).message}`);
  }
  const labels: boolean[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^\s*(\d+)\s*[;,]\s*([01])\s*$/.exec(line);
    if (m === null) throw new CwError('CW_ERR_CONFIG', `${path}:${i + 1}: expected "packet_number;label" with label 0 or 1, got "${line.slice(0, 40)}"`);
    labels[Number(m[1]) - 1] = m[2] === '1';
  });
  for (let i = 0; i < labels.length; i++) labels[i] ??= false;
  return labels;
}

/** Packet-level confusion counts and rates. */
export interface PacketScore {
  packets: number;
  malicious: number;
  flagged: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** TP / (TP + FP); null when nothing was flagged. */
  precision: number | null;
  /** TP / (TP + FN); null when nothing is malicious. */
  recall: number | null;
}

/** Flow time span and uid, per unordered 5-tuple. */
type FlowSpans = Map<string, Array<{ start: number; end: number; uid: string }>>;

function tupleKey(proto: string, a: string, ap: number, b: string, bp: number): string {
  return a < b || (a === b && ap <= bp) ? `${proto}|${a}|${ap}|${b}|${bp}` : `${proto}|${b}|${bp}|${a}|${ap}`;
}

const PROTO_NAMES: Readonly<Record<number, string>> = { 6: 'tcp', 17: 'udp', 1: 'icmp', 58: 'icmp' };

/**
 * The flow of every packet of a capture: each packet is matched to its conn record (same transport
 * and endpoints, time within the flow's [ts, ts + duration], else the first flow of those endpoints).
 * @param conns the run's `conn` records
 * @returns uids[i] for packet i + 1, null for packets without a flow (ARP, non-IP, undecodable)
 */
export async function packetFlows(capture: string, conns: readonly LogRecord[]): Promise<(string | null)[]> {
  const spans: FlowSpans = new Map();
  for (const c of conns) {
    const k = tupleKey(fieldString(c, 'proto'), fieldString(c, 'id.orig_h'), fieldNumber(c, 'id.orig_p'), fieldString(c, 'id.resp_h'), fieldNumber(c, 'id.resp_p'));
    const ts = fieldNumber(c, 'ts');
    let l = spans.get(k);
    if (l === undefined) spans.set(k, (l = []));
    l.push({ start: ts, end: ts + fieldNumber(c, 'duration'), uid: fieldString(c, 'uid') });
  }
  const uids: (string | null)[] = [];
  const reader = await openCapture(capture, 0);
  const decoder = new Decoder(DEFAULT_LIMITS, () => undefined);
  const p = newDecodedPacket();
  for await (const batch of reader.batches()) {
    for (const raw of batch) {
      let uid: string | null = null;
      if (decoder.decode(raw, p) === 'ok') {
        const proto = PROTO_NAMES[p.ipProto];
        if (proto !== undefined && p.srcPort >= 0) {
          const l = spans.get(tupleKey(proto, p.src, p.srcPort, p.dst, p.dstPort));
          uid = (l?.find((x) => raw.ts >= x.start - 1e-6 && raw.ts <= x.end + 1e-6) ?? l?.[0])?.uid ?? null;
        }
      }
      uids.push(uid);
    }
  }
  return uids;
}

/** Scores packet flags against labels (packets beyond either list count as unflagged / normal). */
export function scorePackets(flags: readonly boolean[], labels: readonly boolean[]): PacketScore {
  const n = Math.max(flags.length, labels.length);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let malicious = 0;
  let flagged = 0;
  for (let i = 0; i < n; i++) {
    const f = flags[i] === true;
    const m = labels[i] === true;
    if (f) flagged++;
    if (m) malicious++;
    if (f && m) tp++;
    else if (f) fp++;
    else if (m) fn++;
  }
  return {
    packets: n,
    malicious,
    flagged,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: tp + fp === 0 ? null : tp / (tp + fp),
    recall: tp + fn === 0 ? null : tp / (tp + fn),
  };
}
