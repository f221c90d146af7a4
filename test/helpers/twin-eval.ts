import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LinkType } from '../../src/capture/packet.js';
import { PcapWriter } from '../../src/capture/pcap-writer.js';
import { runAnalyze } from '../../src/cli/analyze.js';
import type { LogRecord } from '../../src/events/record.js';
import { scoreFindings, type TruthScore } from '../../src/eval/truth-score.js';
import { validateSite, writeSiteFile } from '../../src/policy/site-file.js';
import type { Site } from '../../src/policy/site-schema.js';
import { buildTerminalSite } from '../../src/sim/terminal/terminal-site.js';
import { listScenarios } from '../../src/sim/scenarios/registry.js';
import { generateTerminal, TERMINAL_START_TS } from '../../src/sim/terminal/terminal.js';

/** One twin run: a scenario (or none) played into a capture, analyzed against the twin's site, scored. */
export interface TwinRun {
  scenario: string | null;
  seed: number;
  plan: IpPlan;
  score: TruthScore;
}

/** Run length and where scenarios start, seconds. */
export const TWIN_RUN_SEC = 3600;
const SCENARIO_START_SEC = 600;
/** Tuesday 2025-03-18 05:30Z = 06:30 in Amsterdam, inside the twin site's weekly maintenance window. */
const IN_WINDOW_START_TS = Date.parse('2025-03-18T05:30:00Z') / 1000;

/** A scenario and the parameters of one of its variants (beyond those `twinRun` sets). */
export interface TwinCase {
  name: string;
  params?: Record<string, unknown>;
  /** Label of the variant in reports (`container-exfil dns/base64`). */
  label: string;
}

/** Every scenario with its default parameters, and the variants of those that have several behaviours. */
export function twinCases(): TwinCase[] {
  const cases: TwinCase[] = [];
  for (const name of listScenarios().map((d) => d.name)) {
    if (name === 'unauthorized-write') for (const action of ['stop-command', 'setpoint-change', 'interlock-bypass']) cases.push({ name, params: { action }, label: `${name} ${action}` });
    else if (name === 'recon') for (const variant of ['unit-id-sweep', 'function-code-sweep', 'register-scan', 'port-scan']) cases.push({ name, params: { variant }, label: `${name} ${variant}` });
    else if (name === 'plc-stop') for (const variant of ['stop', 'download']) cases.push({ name, params: { variant }, label: `${name} ${variant}` });
    else if (name === 'container-exfil') {
      for (const channel of ['http', 'dns', 'mqtt']) for (const encoding of ['plain', 'base64', 'hex', 'gzip']) cases.push({ name, params: { channel, encoding }, label: `${name} ${channel}/${encoding}` });
      cases.push({ name, params: { channel: 'https' }, label: `${name} https` });
      cases.push({ name, params: { channel: 'http', rate: 300, intensity: 1 }, label: `${name} slow drip (1 record / 300 s)` });
    } else cases.push({ name, label: name });
  }
  return cases;
}

/** Parameters a scenario needs beyond its defaults to fit the twin's default terminal. */
function paramsFor(name: string): Record<string, unknown> {
  const p: Record<string, unknown> = { start: SCENARIO_START_SEC };
  if (name === 'plc-stop') p.crane = 'STS-01';
  if (name === 'cellular-modem' || name === 'covert-modbus' || name === 'container-exfil') p.duration = 1800;
  return p;
}

/** IP plans of the evaluation: the twin's own (10.0.0.0/8) and the same terminal renumbered into 172.16.0.0/12. */
export type IpPlan = 'ten' | 'one-seven-two';

/** 10.b.c.d → 172.(16 + b mod 16).c.d; other addresses unchanged (RFC 1918 to RFC 1918, prefixes kept). */
function to172(ip: string): string {
  const o = ip.split('.').map(Number);
  return o[0] === 10 ? `172.${16 + (o[1] % 16)}.${o[2]}.${o[3]}` : ip;
}

/** The twin's site renumbered into the 172.16.0.0/12 plan. */
function renumber(site: Site): Site {
  const cidr = (c: string): string => {
    const [a, len] = c.split('/');
    return `${to172(a)}/${len}`;
  };
  return {
    ...site,
    zones: site.zones.map((z) => ({ ...z, cidrs: z.cidrs.map(cidr) })),
    assets: site.assets.map((a) => ({ ...a, ip: to172(a.ip) })),
    container_data: { approved_destinations: { ...site.container_data.approved_destinations, cidrs: site.container_data.approved_destinations.cidrs.map(cidr) } },
  };
}

/** Plays `scenario` (null: a clean run) with `seed` on a 4-crane twin in an IP plan, analyzes with its site, scores. */
export async function twinRun(scenario: string | null, seed: number, plan: IpPlan = 'ten', variant: Record<string, unknown> = {}): Promise<TwinRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-twin-eval-'));
  try {
    const pcap = join(dir, 'run.pcap');
    const w = PcapWriter.toFile(pcap, { linkType: LinkType.ETHERNET });
    const startTs = scenario === 'maintenance-write-in-window' ? IN_WINDOW_START_TS : TERMINAL_START_TS;
    const site0 = buildTerminalSite(4);
    const r = generateTerminal(w, {
      seed,
      durationSec: TWIN_RUN_SEC,
      site: plan === 'ten' ? site0 : validateSite(renumber(site0), 'renumbered twin site'),
      startTs,
      scenarios: scenario === null ? [] : [{ name: scenario, params: { ...paramsFor(scenario), ...variant } }],
    });
    w.close();
    const site = join(dir, 'site.yaml');
    writeSiteFile(site, r.site);
    const out = join(dir, 'logs');
    await runAnalyze([pcap], { site, out, quiet: true, progress: false });
    let findings: LogRecord[] = [];
    try {
      findings = readFileSync(join(out, 'findings.log'), 'utf8')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as LogRecord);
    } catch {
      findings = [];
    }
    return { scenario, seed, plan, score: scoreFindings(r.truth, findings) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}


