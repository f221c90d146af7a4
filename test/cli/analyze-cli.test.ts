import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { REPO_ROOT } from '../helpers/shared-data.js';
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
  assert.match(r.stderr, /^cranewatch: warning: .*cut\.pcap: .*truncated/m);
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
