/**
 * DNS conformance of CraneWatch's `dns` records with tshark on every capture of the shared data set
 * that carries DNS, zipped captures included (extracted to a temporary folder). CraneWatch analyses
 * every capture (cheap); a capture is a candidate when CraneWatch logs `dns` in it or a flow in it uses
 * port 53, 5353 or 5355 (where tshark dissects DNS, mDNS and LLMNR by default, all with `dns.*`
 * fields); tshark then dissects each candidate. CraneWatch also logs NetBIOS Name Service (port 137) in
 * `dns`, as Zeek does; tshark dissects it as `nbns`, so those records have no tshark message to compare.
 *
 * Record for record: every DNS message tshark shows is looked up among CraneWatch's `dns` records — a
 * query by (trans_id, time of the query), a response by (trans_id, time of the response: ts + rtt, or
 * ts when it came alone) — and compared: query name (tshark keeps the case, Zeek and CraneWatch write
 * lower case), query type, rcode (responses), the number of answer records, and every A, AAAA and
 * CNAME answer CraneWatch lists must be among tshark's `dns.a` / `dns.aaaa` / `dns.cname` (RFC 1035
 * §4.1 message fields, Zeek dns.log field names).
 *
 * Zeek: the shared data set holds no Zeek or ICSNPP dns.log, so tshark is the only peer.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import type { CaptureAgreement, ProtocolAgreement } from './agreement.js';
import { sharedCaptureTargets, tsharkVersion } from './http.js';

const DNS_PORTS = new Set([53, 5353, 5355]);
/** tshark's DNS-format dissectors that fill the `dns.*` fields (NetBIOS NS on 137 has its own `nbns.*` and is left out). */
const TSHARK_FILTER = 'dns || mdns || llmnr';
const FIELDS = ['frame.number', 'frame.time_epoch', 'dns.id', 'dns.flags.response', 'dns.qry.name', 'dns.qry.type', 'dns.flags.rcode', 'dns.count.answers'];

/** One DNS message as tshark dissects it. */
interface TsharkDns {
  frame: number;
  /** frame.time_epoch, seconds. */
  ts: number;
  id: number;
  response: boolean;
  /** Lower case. */
  name: string;
  /** -1 without a question. */
  qtype: number;
  rcode: number;
  answers: number;
  /** Every A, AAAA and CNAME value of the frame, lower case. */
  values: Set<string>;
}

function tsharkDns(file: string): TsharkDns[] {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', TSHARK_FILTER, '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f', ...FIELDS.flatMap((f) => ['-e', f])], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`tshark failed on ${file}: ${r.stderr}`);
  const out: TsharkDns[] = [];
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const c = line.split('\t');
    if (c[2] === '') continue;
    out.push({
      frame: Number(c[0]),
      ts: Number(c[1]),
      id: Number(c[2]),
      response: c[3] === '1' || c[3] === 'True',
      name: c[4].toLowerCase(),
      qtype: c[5] === '' ? -1 : Number(c[5]),
      rcode: Number(c[6]),
      answers: Number(c[7]),
      values: new Set(),
    });
  }
  return out;
}

/** The comma-separated values of tshark columns as one lower-case set. */
function valueSet(...cols: string[]): Set<string> {
  return new Set(cols.flatMap((c) => (c ?? '').split(',')).filter((x) => x !== '').map((x) => x.toLowerCase()));
}

/** All A, AAAA and CNAME values of each frame (every occurrence). */
function tsharkAnswerValues(file: string): Map<number, Set<string>> {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', TSHARK_FILTER, '-T', 'fields', '-E', 'separator=\t', '-E', 'aggregator=,', '-e', 'frame.number', '-e', 'dns.a', '-e', 'dns.aaaa', '-e', 'dns.cname'], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const m = new Map<number, Set<string>>();
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const [f, ...rest] = line.split('\t');
    m.set(Number(f), valueSet(...rest));
  }
  return m;
}

/** CraneWatch's `dns` records of one capture, and whether a flow used a DNS port. */
interface CwRun {
  dns: LogRecord[];
  dnsPort: boolean;
}

async function cranewatch(file: string): Promise<CwRun> {
  const dns: LogRecord[] = [];
  let dnsPort = false;
  const sink = {
    write(stream: string, r: LogRecord): void {
      if (stream === 'dns') dns.push(r);
      else if (stream === 'conn' && (DNS_PORTS.has(r['id.resp_p'] as number) || DNS_PORTS.has(r['id.orig_p'] as number))) dnsPort = true;
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink });
  return { dns, dnsPort };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) < 2e-6;

/** The CraneWatch record of tshark message `m`, or undefined. */
function findRecord(m: TsharkDns, recs: readonly LogRecord[]): LogRecord | undefined {
  return recs.find((x) => {
    if (x.trans_id !== m.id) return false;
    const ts = x.ts as number;
    const rtt = x.rtt as number | null;
    if (!m.response) return close(ts, m.ts) && x.rcode !== undefined && (rtt !== null || x.rcode === null);
    return x.rcode !== null && (rtt === null ? close(ts, m.ts) : close(ts + rtt, m.ts));
  });
}

/** Field names of the comparison (Zeek dns.log spelling). */
const DNS_FIELDS = ['query', 'qtype', 'rcode', 'answers'] as const;

/** Compare one capture's tshark messages with CraneWatch's records. */
function compareCapture(capture: string, msgs: readonly TsharkDns[], recs: readonly LogRecord[]): CaptureAgreement {
  const counts = DNS_FIELDS.map((field) => ({ field, compared: 0, agreed: 0 }));
  const differences: string[] = [];
  let matched = 0;
  let agreed = 0;
  for (const m of msgs) {
    const key = `frame ${m.frame} id ${m.id} ${m.response ? 'response' : 'query'}`;
    const r = findRecord(m, recs);
    if (r === undefined) {
      differences.push(`${key}: no CraneWatch record`);
      continue;
    }
    matched++;
    const answers = (r.answers as string[] | null) ?? [];
    const addresses = answers.filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) || /^[0-9a-f:.]*:[0-9a-f:.]*$/.test(a));
    const checks: [boolean, boolean, string, string][] = [
      [true, (r.query ?? '') === m.name, String(r.query ?? ''), m.name],
      [true, (r.qtype ?? -1) === m.qtype, String(r.qtype ?? -1), String(m.qtype)],
      [m.response, r.rcode === m.rcode, String(r.rcode), String(m.rcode)],
      [m.response, answers.length === m.answers && addresses.every((a) => m.values.has(a)), answers.join(',') || '-', `${m.answers} answers ${[...m.values].join(',') || '-'}`],
    ];
    let all = true;
    checks.forEach(([applies, ok, cw, peer], i) => {
      if (!applies) return;
      counts[i].compared++;
      if (ok) counts[i].agreed++;
      else {
        all = false;
        differences.push(`${key}: ${DNS_FIELDS[i]} cw=${cw} peer=${peer}`);
      }
    });
    if (all) agreed++;
  }
  return { capture, stream: 'dns', peerRecords: msgs.length, matched, agreed, fields: counts.filter((c) => c.compared > 0), differences };
}

/**
 * Compare CraneWatch with tshark on every shared capture carrying DNS (zipped ones included), one
 * CaptureAgreement per capture in the order of sharedCaptureTargets. Errors: throws when tshark fails.
 */
export async function dnsCaptureAgreements(sharedData: string): Promise<CaptureAgreement[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-dns-conformance-'));
  try {
    const out: CaptureAgreement[] = [];
    for (const t of sharedCaptureTargets(sharedData, tmp)) {
      const cw = await cranewatch(t.path);
      if (cw.dns.length === 0 && !cw.dnsPort) continue;
      const msgs = tsharkDns(t.path);
      if (msgs.length === 0 && cw.dns.length === 0) continue;
      const values = tsharkAnswerValues(t.path);
      for (const m of msgs) m.values = values.get(m.frame) ?? new Set();
      out.push(compareCapture(t.name, msgs, cw.dns));
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** DNS conformance against tshark on the shared data; `[]` when tshark is not installed. Errors: as dnsCaptureAgreements. */
export async function dnsConformance(sharedData: string): Promise<ProtocolAgreement[]> {
  const version = tsharkVersion();
  if (version === null) return [];
  return [{ protocol: 'dns', peer: `tshark ${version}`, captures: await dnsCaptureAgreements(sharedData) }];
}
