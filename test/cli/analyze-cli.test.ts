import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, existsSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT } from '../helpers/shared-data.js';
import { fold16, pseudoHeaderSum } from '../../src/decode/checksum.js';
import { writeDemoCapture } from '../../src/sim/demo.js';

const MAIN = join(REPO_ROOT, 'src', 'cli', 'main.ts');

/** Runs the CLI from source (tsx), as `cranewatch <args>`. */
function cli(args: string[], cwd?: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), MAIN, ...args], { encoding: 'utf8', cwd: cwd ?? REPO_ROOT });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'cw-cli-'));
const demo = join(dir, 'demo.pcap');
const generated = writeDemoCapture(demo);
const truth = generated.truth;

test('analyze writes every stream as Zeek JSON lines and the same records to SQLite', () => {
  const out = join(dir, 'logs');
  const db = join(dir, 'cw.sqlite');
  const r = cli(['analyze', demo, '--out', out, '--db', db, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, '');
  const summary = JSON.parse(r.stdout);
  assert.equal(summary.inputs.packets, generated.packets);
  const files = readdirSync(out).sort();
  for (const f of ['assets.log', 'conn.log', 'modbus.log', 'modbus_detailed.log']) assert.ok(files.includes(f), `${f} in ${files}`);
  const conn = readFileSync(join(out, 'conn.log'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const modbus = readFileSync(join(out, 'modbus.log'), 'utf8').trim().split('\n');
  const sql = new Database(db, { readonly: true });
  assert.equal((sql.prepare('select count(*) as n from conn').get() as { n: number }).n, conn.length);
  assert.equal((sql.prepare('select count(*) as n from modbus').get() as { n: number }).n, modbus.length);
  // The unexpected laptop's write to STS-01 is in the modbus log with its true hosts.
  const w = truth.unexpectedWrite;
  const writes = modbus.map((l) => JSON.parse(l)).filter((m) => m.pdu_type === 'REQ' && m.tid === w.transId && m['id.orig_h'] === w.src);
  assert.equal(writes.length, 1, 'the unexpected write is logged once');
  assert.equal(writes[0]['id.resp_h'], w.dst);
  assert.equal(writes[0].unit, w.unitId);
  // The modem's flow to the outside address is a conn record.
  const o = truth.outsideFlow;
  assert.ok(conn.some((c) => c['id.orig_h'] === o.src && c['id.resp_h'] === o.dst && c['id.resp_p'] === o.dstPort));
  sql.close();
});

test('same input gives byte-identical logs', () => {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  assert.equal(cli(['analyze', demo, '--out', a, '--no-progress']).code, 0);
  assert.equal(cli(['analyze', demo, '--out', b, '--no-progress']).code, 0);
  for (const f of readdirSync(a)) assert.equal(readFileSync(join(a, f), 'utf8'), readFileSync(join(b, f), 'utf8'), f);
});

test('text summary names hosts, flows, Modbus functions and anomalies', () => {
  const r = cli(['analyze', demo]);
  assert.equal(r.code, 0);
  for (const word of ['Hosts', 'Flows', 'Top talkers', 'Modbus', 'READ_HOLDING_REGISTERS', 'Anomalies']) assert.match(r.stdout, new RegExp(word));
});

test('a truncated capture keeps everything before the damage, warns and exits 4', () => {
  const bytes = readFileSync(demo);
  const cut = join(dir, 'cut.pcap');
  writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2) + 7));
  const out = join(dir, 'cut-logs');
  const r = cli(['analyze', cut, '--out', out, '--json']);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^cranewatch: warning: .*cut\.pcap.*at byte \d+.*\(capture\.truncated_record\)$/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  const summary = JSON.parse(r.stdout);
  assert.ok(summary.inputs.packets > 1000, `kept ${summary.inputs.packets} packets`);
  assert.ok(existsSync(join(out, 'conn.log')) && existsSync(join(out, 'modbus.log')));
});

test('user errors print one clear line and a documented exit code, never a stack trace', () => {
  const empty = join(dir, 'empty.pcap');
  writeFileSync(empty, '');
  const text = join(dir, 'notes.pcap');
  writeFileSync(text, 'HELLO this is not a capture\n');
  const cases: Array<[string[], number, RegExp]> = [
    [['analyze', join(dir, 'missing.pcap')], 3, /does not exist/],
    [['analyze', empty], 3, /empty/i],
    [['analyze', text], 3, /not a pcap or pcapng/],
    [['analyze', dir], 3, /directory/],
    [['analyze'], 2, /missing required argument/],
    [['frobnicate'], 2, /unknown command/],
  ];
  for (const [args, code, msg] of cases) {
    const r = cli(args);
    assert.equal(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0], /^cranewatch: /);
    assert.match(lines[0], msg);
  }
});

test('a missing input is reported before the outputs are touched: the logs of an earlier run stay', () => {
  const out = join(dir, 'kept-logs');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'conn.log'), 'earlier run\n');
  const db = join(dir, 'kept.sqlite');
  const r = cli(['analyze', demo, join(dir, 'typo.pcap'), '--out', out, '--db', db]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /typo\.pcap does not exist/);
  assert.equal(readFileSync(join(out, 'conn.log'), 'utf8'), 'earlier run\n');
  assert.ok(!existsSync(db), 'no database created');
});

test('an output reached through a symbolic link cannot replace an input capture', () => {
  const real = join(dir, 'real');
  mkdirSync(real, { recursive: true });
  const capture = join(real, 'conn.log');
  writeFileSync(capture, readFileSync(demo));
  const link = join(dir, 'link');
  symlinkSync(real, link);
  for (const [input, out] of [
    [capture, link],
    [join(link, 'conn.log'), real],
  ]) {
    const r = cli(['analyze', input, '--out', out]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /would replace the input capture/);
  }
  assert.ok(readFileSync(capture).equals(readFileSync(demo)), 'the capture is untouched');
});

test('control characters in a message are escaped, so an error stays one line', () => {
  const r = cli(['analyze', join(dir, 'two\nlines\u001b[31m.pcap')]);
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  assert.ok(r.stderr.includes('two\\nlines\\u001b[31m.pcap does not exist'), r.stderr);
});

test('--db naming a FIFO or a directory is refused at once, not opened', (t) => {
  const fifo = join(dir, 'db.fifo');
  const mk = spawnSync('mkfifo', [fifo]);
  if (mk.status !== 0) {
    t.skip('mkfifo is not available here');
    return;
  }
  for (const target of [fifo, dir]) {
    const r = cli(['analyze', demo, '--db', target]);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stderr, /not a SQLite database file/);
  }
});

test('an output that cannot be written exits 5 with one line', () => {
  const blocker = join(dir, 'file-not-dir');
  writeFileSync(blocker, 'x');
  const r = cli(['analyze', demo, '--out', join(blocker, 'logs')]);
  assert.equal(r.code, 5, r.stderr);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  const r2 = cli(['analyze', demo, '--db', join(blocker, 'x.sqlite')]);
  assert.equal(r2.code, 5, r2.stderr);
});

test('npm start runs the demo: capture, analysis and summary', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'cw-demo-'));
  const r = cli(['demo', '--dir', join(cwd, 'd')], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /Demo capture: .*demo\.pcap/);
  assert.match(r.stdout, /READ_HOLDING_REGISTERS/);
  for (const f of ['demo.pcap', 'cranewatch.sqlite', 'logs/conn.log']) assert.ok(existsSync(join(cwd, 'd', f)), f);
});

/**
 * The demo capture as if taken on the CMS (10.10.1.10) with checksum offloading: every IPv4/TCP frame
 * it sent gets IPv4 header checksum 0 and, for TCP, the folded pseudo-header sum in the TCP
 * checksum field (what the stack leaves for the NIC). Reads and rewrites the pcap records in place.
 */
function offloadedCopy(src: string, dst: string, host: readonly number[]): number {
  const b = Uint8Array.from(readFileSync(src));
  const le = b[0] === 0xd4; // pcap magic a1b2c3d4 written little-endian
  const u32 = (o: number): number => (le ? b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24) : (b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  let changed = 0;
  for (let o = 24; o + 16 <= b.length; ) {
    const caplen = u32(o + 8);
    const f = o + 16; // Ethernet frame
    const ip = f + 14;
    if (b[f + 12] === 0x08 && b[f + 13] === 0x00 && host.every((x, i) => b[ip + 12 + i] === x)) {
      b[ip + 10] = 0; // IPv4 header checksum left to the NIC
      b[ip + 11] = 0;
      if (b[ip + 9] === 6) {
        const hl = (b[ip] & 15) * 4;
        const len = ((b[ip + 2] << 8) | b[ip + 3]) - hl;
        const pseudo = fold16(pseudoHeaderSum(b, ip, 4, 6, len));
        b[ip + hl + 16] = pseudo >> 8;
        b[ip + hl + 17] = pseudo & 0xff;
      }
      changed++;
    }
    o = f + caplen;
  }
  writeFileSync(dst, b);
  return changed;
}

/** The JSON-lines records of one log file ([] when absent). */
function logOf(out: string, name: string): Record<string, unknown>[] {
  const p = join(out, `${name}.log`);
  return existsSync(p) ? readFileSync(p, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) : [];
}

test('--checksums: the simulator carries correct checksums; an offloading host is found by auto, gutted by verify, kept by ignore', () => {
  const clean = join(dir, 'ck-clean');
  assert.equal(cli(['analyze', demo, '--out', clean, '--checksums', 'verify', '--no-progress']).code, 0);
  assert.deepEqual(logOf(clean, 'weird').filter((w) => String(w.name).includes('checksum')), [], 'no checksum weirds on the demo');
  const modbusClean = readFileSync(join(clean, 'modbus.log'), 'utf8');

  const offl = join(dir, 'offloaded.pcap');
  assert.ok(offloadedCopy(demo, offl, [10, 10, 1, 10]) > 100);
  const runs = new Map<string, string>();
  for (const mode of ['auto', 'verify', 'ignore']) {
    const out = join(dir, `ck-${mode}`);
    const r = cli(['analyze', offl, '--out', out, '--checksums', mode, '--no-progress']);
    assert.equal(r.code, 0, r.stderr);
    runs.set(mode, out);
  }
  const auto = runs.get('auto')!;
  assert.equal(readFileSync(join(auto, 'modbus.log'), 'utf8'), modbusClean, 'auto: nothing lost');
  const suspected = logOf(auto, 'weird').filter((w) => w.name === 'checksum.offload_suspected');
  assert.equal(suspected.length, 1);
  assert.match(String(suspected[0].addl), /^host=10\.10\.1\.10 rule=signature /);
  assert.equal(readFileSync(join(runs.get('ignore')!, 'modbus.log'), 'utf8'), modbusClean, 'ignore: nothing lost');
  assert.deepEqual(logOf(runs.get('ignore')!, 'weird'), []);
  const verify = runs.get('verify')!;
  assert.ok(logOf(verify, 'weird').some((w) => w.name === 'ip.bad_checksum'), 'verify drops every packet of the host');
  const cmsRequests = (out: string): number => logOf(out, 'modbus').filter((m) => m.pdu_type === 'REQ' && m['id.orig_h'] === '10.10.1.10').length;
  assert.ok(cmsRequests(clean) > 100);
  assert.equal(cmsRequests(verify), 0, 'verify: none of the CMS requests survive');
  // Without the flag the default is auto.
  const dflt = join(dir, 'ck-default');
  assert.equal(cli(['analyze', offl, '--out', dflt, '--no-progress']).code, 0);
  assert.equal(readFileSync(join(dflt, 'weird.log'), 'utf8'), readFileSync(join(auto, 'weird.log'), 'utf8'));
  // An unknown mode is a usage error.
  const bad = cli(['analyze', demo, '--checksums', 'sometimes']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /^cranewatch: .*sometimes.*auto, verify, ignore/);
});

test('a run replaces the results of an earlier run in the same --out folder and --db file', () => {
  const out = join(dir, 'rerun-logs');
  const db = join(dir, 'rerun.sqlite');
  assert.equal(cli(['analyze', demo, '--out', out, '--db', db]).code, 0);
  const count = (table: string): number => {
    const sql = new Database(db, { readonly: true });
    try {
      return (sql.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    } finally {
      sql.close();
    }
  };
  const modbusRows = count('modbus');
  assert.ok(modbusRows > 1000);
  assert.equal(cli(['analyze', demo, '--out', out, '--db', db]).code, 0);
  assert.equal(count('modbus'), modbusRows, 'the same capture analyzed twice is stored once');
  // A capture without Modbus leaves no Modbus log or rows behind from the earlier run.
  const plain = join(dir, 'no-modbus.pcap');
  const bytes = readFileSync(demo);
  writeFileSync(plain, bytes.subarray(0, 24));
  assert.equal(cli(['analyze', plain, '--out', out, '--db', db]).code, 0);
  assert.ok(!existsSync(join(out, 'modbus.log')), 'stale modbus.log removed');
  assert.equal(count('modbus'), 0);
});

test('outputs never replace an input or another application\'s database, and stdout failures are output errors', () => {
  const copy = join(dir, 'evidence.pcap');
  writeFileSync(copy, readFileSync(demo));
  const r1 = cli(['analyze', copy, '--db', copy]);
  assert.equal(r1.code, 2, r1.stderr);
  assert.match(r1.stderr, /^cranewatch: --db .* is also an input capture/);
  const logDir = join(dir, 'evidence-dir');
  mkdirSync(logDir);
  const asLog = join(logDir, 'conn.log');
  writeFileSync(asLog, readFileSync(demo));
  const r2 = cli(['analyze', asLog, '--out', logDir]);
  assert.equal(r2.code, 2, r2.stderr);
  assert.deepEqual(readFileSync(asLog), readFileSync(demo), 'the input is untouched');
  const foreign = join(dir, 'foreign.sqlite');
  const f = new Database(foreign);
  f.exec('CREATE TABLE users (name TEXT)');
  f.close();
  const r3 = cli(['analyze', demo, '--db', foreign]);
  assert.equal(r3.code, 5, r3.stderr);
  assert.match(r3.stderr, /another application's SQLite database/);
  const names = new Database(foreign, { readonly: true }).prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all();
  assert.deepEqual(names, ['users']);
  assert.equal(cli(['analyze', demo, '--out', '']).code, 2);
  if (existsSync('/dev/full')) {
    const r4 = spawnSync('sh', ['-c', `"${process.execPath}" --import "${import.meta.resolve('tsx')}" "${MAIN}" analyze "${demo}" --json > /dev/full`], { encoding: 'utf8' });
    assert.equal(r4.status, 5, r4.stderr);
    assert.match(r4.stderr, /^cranewatch: cannot write to standard output/);
  }
});

test('a missing --site file is a configuration error (exit 2) that names the file', () => {
  const missing = join(dir, 'no-such-site.yaml');
  const r = cli(['analyze', demo, '--site', missing]);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /no-such-site\.yaml: it does not exist/);
});

test('with --site and --db, a clean run still has findings and incidents tables, with no rows', () => {
  const pcap = join(dir, 'clean-twin.pcap');
  const siteFile = join(dir, 'clean-site.yaml');
  const sim = cli(['simulate', '--cranes', '1', '--duration', '60', '--out', pcap, '--site-out', siteFile, '--no-progress']);
  assert.equal(sim.code, 0, sim.stderr);
  const db = join(dir, 'clean.sqlite');
  const r = cli(['analyze', pcap, '--site', siteFile, '--db', db, '--no-progress']);
  assert.equal(r.code, 0, r.stderr);
  const sql = new Database(db, { readonly: true });
  for (const table of ['findings', 'incidents']) assert.equal((sql.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n, 0, table);
  sql.close();
});

test('--threads 2 writes byte-identical logs and the same summary as --threads 1, detectors and content taps included', () => {
  const pcap = join(dir, 'threads-twin.pcap');
  const siteFile = join(dir, 'threads-site.yaml');
  const sim = cli(['simulate', '--cranes', '2', '--duration', '900', '--out', pcap, '--site-out', siteFile, '--scenario', 'unauthorized-write:start=100', '--scenario', 'container-exfil:start=200,duration=600', '--no-progress']);
  assert.equal(sim.code, 0, sim.stderr);
  const runs = ['1', '2'].map((n) => {
    const out = join(dir, `threads-${n}`);
    const r = cli(['analyze', pcap, '--site', siteFile, '--out', out, '--threads', n, '--json', '--no-progress']);
    assert.equal(r.code, 0, r.stderr);
    return { out, summary: JSON.parse(r.stdout) as Record<string, unknown> };
  });
  const files = readdirSync(runs[0].out).sort();
  assert.deepEqual(readdirSync(runs[1].out).sort(), files);
  for (const f of ['findings.log', 'incidents.log', 'conn.log', 'modbus.log']) assert.ok(files.includes(f), `${f} in ${files}`);
  assert.ok(readFileSync(join(runs[0].out, 'findings.log'), 'utf8').length > 0, 'the scenarios raise findings');
  for (const f of files) assert.equal(readFileSync(join(runs[1].out, f), 'utf8'), readFileSync(join(runs[0].out, f), 'utf8'), f);
  assert.deepEqual(runs[1].summary, runs[0].summary);
  assert.match(cli(['analyze', pcap, '--threads', '3']).stderr, /'3' is invalid\. Allowed choices are auto, 1, 2/);
});

test('a terminal that reports no size (script(1)) gets the summary at 200 columns, as a pipe does, not squeezed', (t) => {
  if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) {
    t.skip('script(1) is not installed; skipped');
    return;
  }
  const command = ['analyze', demo, '--no-progress', '--no-color'].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('script', ['-qc', `"${process.execPath}" --import "${import.meta.resolve('tsx')}" "${MAIN}" ${command}`, '/dev/null'], {
    encoding: 'utf8',
    env: { ...process.env, COLUMNS: '' },
  });
  assert.equal(r.status, 0, r.stderr);
  const piped = cli(['analyze', demo, '--no-progress', '--no-color']);
  assert.ok(piped.stdout.includes(demo.slice(-20)), 'the pipe shows the whole input path');
  assert.ok(r.stdout.includes(demo.slice(-20)), `the terminal shows the whole input path:\n${r.stdout.slice(0, 400)}`);
});
