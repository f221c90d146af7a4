/**
 * DNS conformance against tshark on every capture of the shared data set that carries DNS, zipped
 * captures included (extracted to a temporary folder). CraneWatch analyses every capture (cheap); a
 * capture is a candidate when CraneWatch logs `dns` in it or a flow in it uses port 53, 5353 or 5355
 * (where tshark dissects DNS, mDNS and LLMNR by default, all with `dns.*` fields); tshark then
 * dissects each candidate. CraneWatch also logs NetBIOS Name Service (port 137) in `dns`, as Zeek
 * does; tshark dissects it as `nbns`, so those records have no tshark message to compare with.
 *
 * Record for record: every DNS message tshark shows is looked up among CraneWatch's `dns` records —
 * a query by (trans_id, time of the query), a response by (trans_id, time of the response: ts + rtt,
 * or ts when it came alone) — and compared: query name (tshark keeps the case, Zeek and CraneWatch
 * write lower case), query type, rcode (responses), the number of answer records, and every A, AAAA
 * and CNAME answer CraneWatch lists must be among tshark's `dns.a` / `dns.aaaa` / `dns.cname`.
 *
 * Zeek: the shared data set holds no Zeek or ICSNPP dns.log (zeek-ics-baselines and icsnpp carry
 * Modbus, DNP3, MQTT, S7comm, EtherNet/IP, OPC UA and BACnet baselines only), so tshark is the peer.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import type { LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import { findCaptures } from '../helpers/capture-files.js';
import { haveTshark, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';
import { readZip } from '../helpers/zip.js';

const DNS_PORTS = new Set([53, 5353, 5355]);
/** tshark's DNS-format dissectors that fill the `dns.*` fields (NetBIOS NS on 137 has its own `nbns.*` and is left out). */
const TSHARK_FILTER = 'dns || mdns || llmnr';
const CAPTURE_MAGICS = new Set([0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1, 0x0a0d0d0a]);
const FIELDS = ['frame.number', 'frame.time_epoch', 'dns.id', 'dns.flags.response', 'dns.qry.name', 'dns.qry.type', 'dns.flags.rcode', 'dns.count.answers'];

/** One DNS message as tshark dissects it. */
interface TsharkDns {
  frame: number;
  ts: number;
  id: number;
  response: boolean;
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

/** Field-by-field result of one tshark message. */
interface Compared {
  found: boolean;
  name: boolean;
  qtype: boolean;
  rcode: boolean;
  answers: boolean;
}

function compare(m: TsharkDns, recs: readonly LogRecord[]): Compared {
  const r = recs.find((x) => {
    if (x.trans_id !== m.id) return false;
    const ts = x.ts as number;
    const rtt = x.rtt as number | null;
    if (!m.response) return close(ts, m.ts) && x.rcode !== undefined && (rtt !== null || x.rcode === null);
    return x.rcode !== null && (rtt === null ? close(ts, m.ts) : close(ts + rtt, m.ts));
  });
  if (r === undefined) return { found: false, name: false, qtype: false, rcode: false, answers: false };
  const answers = (r.answers as string[] | null) ?? [];
  const addresses = answers.filter((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a) || /^[0-9a-f:.]*:[0-9a-f:.]*$/.test(a));
  return {
    found: true,
    name: (r.query ?? '') === m.name,
    qtype: (r.qtype ?? -1) === m.qtype,
    rcode: !m.response || r.rcode === m.rcode,
    answers: !m.response || (answers.length === m.answers && addresses.every((a) => m.values.has(a))),
  };
}

let run: Promise<{ lines: string[]; agreeing: number; compared: number; captures: number; misses: string[] }> | null = null;

async function conformance(): Promise<{ lines: string[]; agreeing: number; compared: number; captures: number; misses: string[] }> {
  const targets = findCaptures(SHARED_DATA).map((rel) => ({ name: rel, path: join(SHARED_DATA, rel) }));
  const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-dns-conformance-'));
  const walk = (dir: string, out: string[]): string[] => {
    for (const n of readdirSync(dir).sort()) {
      const p = join(dir, n);
      if (statSync(p).isDirectory()) walk(p, out);
      else if (n.toLowerCase().endsWith('.zip')) out.push(p);
    }
    return out;
  };
  try {
    for (const zip of walk(SHARED_DATA, [])) {
      for (const e of readZip(zip)) {
        if (e.data.length < 4 || !CAPTURE_MAGICS.has(new DataView(e.data.buffer, e.data.byteOffset, 4).getUint32(0))) continue;
        const path = join(tmp, `${targets.length}-${e.name.replace(/[^\w.-]/g, '_')}`);
        writeFileSync(path, e.data);
        targets.push({ name: `${relative(SHARED_DATA, zip)}:${e.name}`, path });
      }
    }
    const lines: string[] = [];
    const misses: string[] = [];
    let agreeing = 0;
    let compared = 0;
    let captures = 0;
    const fieldTotals = { found: 0, name: 0, qtype: 0, rcode: 0, answers: 0 };
    for (const t of targets) {
      const cw = await cranewatch(t.path);
      if (cw.dns.length === 0 && !cw.dnsPort) continue;
      const msgs = tsharkDns(t.path);
      if (msgs.length === 0 && cw.dns.length === 0) continue;
      const values = tsharkAnswerValues(t.path);
      captures++;
      let ok = 0;
      for (const m of msgs) {
        m.values = values.get(m.frame) ?? new Set();
        const c = compare(m, cw.dns);
        for (const k of Object.keys(fieldTotals) as (keyof Compared)[]) if (c[k]) fieldTotals[k]++;
        if (c.found && c.name && c.qtype && c.rcode && c.answers) ok++;
        else if (misses.length < 20) misses.push(`${t.name} frame ${m.frame}: ${JSON.stringify(c)}`);
      }
      agreeing += ok;
      compared += msgs.length;
      lines.push(`${t.name}: ${ok}/${msgs.length} DNS messages agree; CraneWatch ${cw.dns.length} dns records`);
    }
    const pct = (n: number): string => (compared === 0 ? '—' : `${((100 * n) / compared).toFixed(2)} %`);
    lines.push(`overall: ${agreeing}/${compared} DNS messages agree (${pct(agreeing)}) over ${captures} captures`);
    for (const [k, v] of Object.entries(fieldTotals)) lines.push(`  ${k}: ${v}/${compared} (${pct(v)})`);
    return { lines, agreeing, compared, captures, misses };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

test('DNS: CraneWatch dns records agree with tshark message for message on every DNS capture', async (t) => {
  if (sharedFile(t, '.') === null || !haveTshark(t)) return;
  run ??= conformance();
  const r = await run;
  for (const l of r.lines) t.diagnostic(l);
  for (const m of r.misses) t.diagnostic(`differs: ${m}`);
  assert.ok(r.captures > 0, 'at least one capture carries DNS');
  assert.equal(r.agreeing, r.compared, r.misses.join('\n'));
});
