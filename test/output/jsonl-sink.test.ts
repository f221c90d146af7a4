import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CwError } from '../../src/errors.js';
import type { LogRecord } from '../../src/events/record.js';
import { defineStream } from '../../src/events/schema.js';
import { JsonlSink } from '../../src/output/jsonl-sink.js';

defineStream({
  name: 't_jconn',
  doc: 'conn-like test stream',
  fields: [
    { name: 'ts', type: 'time', doc: '' },
    { name: 'uid', type: 'string', doc: '' },
    { name: 'id.orig_h', type: 'addr', doc: '' },
    { name: 'id.orig_p', type: 'port', doc: '' },
    { name: 'id.resp_h', type: 'addr', doc: '' },
    { name: 'id.resp_p', type: 'port', doc: '' },
    { name: 'proto', type: 'enum', doc: '' },
    { name: 'service', type: 'string', doc: '' },
    { name: 'duration', type: 'interval', doc: '' },
    { name: 'orig_bytes', type: 'count', doc: '' },
    { name: 'local_orig', type: 'bool', doc: '' },
    { name: 'tunnel_parents', type: 'set[string]', doc: '' },
  ],
});
defineStream({
  name: 't_jmodbus',
  doc: 'modbus-like test stream',
  fields: [
    { name: 'ts', type: 'time', doc: '' },
    { name: 'uid', type: 'string', doc: '' },
    { name: 'func', type: 'string', doc: '' },
    { name: 'pdu_type', type: 'string', doc: '' },
    { name: 'exception', type: 'string', doc: '' },
  ],
});

const root = mkdtempSync(join(tmpdir(), 'cw-jsonl-'));
after(() => rmSync(root, { recursive: true, force: true }));

// Keys deliberately out of schema order; `service` unset in the second record.
const CONN: LogRecord[] = [
  {
    uid: 'CAAAAAAAAAAAAAAAAA',
    ts: 1258531221.486539,
    'id.resp_p': 502,
    'id.resp_h': '10.0.0.3',
    'id.orig_p': 3082,
    'id.orig_h': '10.0.0.9',
    proto: 'tcp',
    service: 'modbus',
    duration: 177.095534,
    orig_bytes: 72,
    local_orig: true,
    tunnel_parents: [],
  },
  { ts: 1258531222, uid: 'CBBBBBBBBBBBBBBBBB', 'id.orig_h': '10.0.0.9', 'id.orig_p': 3083, 'id.resp_h': '10.0.0.3', 'id.resp_p': 502, proto: 'tcp', duration: 0.000239, service: undefined },
];
const MODBUS: LogRecord[] = [{ exception: null, pdu_type: 'REQ', func: 'READ_COILS', uid: 'CAAAAAAAAAAAAAAAAA', ts: 1258531221.5 }];

const EXPECTED_CONN =
  '{"ts":1258531221.486539,"uid":"CAAAAAAAAAAAAAAAAA","id.orig_h":"10.0.0.9","id.orig_p":3082,"id.resp_h":"10.0.0.3","id.resp_p":502,' +
  '"proto":"tcp","service":"modbus","duration":177.095534,"orig_bytes":72,"local_orig":true,"tunnel_parents":[]}\n' +
  '{"ts":1258531222.0,"uid":"CBBBBBBBBBBBBBBBBB","id.orig_h":"10.0.0.9","id.orig_p":3083,"id.resp_h":"10.0.0.3","id.resp_p":502,' +
  '"proto":"tcp","duration":0.000239}\n';
const EXPECTED_MODBUS = '{"ts":1258531221.5,"uid":"CAAAAAAAAAAAAAAAAA","func":"READ_COILS","pdu_type":"REQ"}\n';

async function writeRun(dir: string, flushChars?: number): Promise<void> {
  const sink = new JsonlSink(dir, flushChars);
  sink.write('t_jconn', CONN[0]);
  sink.write('t_jmodbus', MODBUS[0]);
  sink.write('t_jconn', CONN[1]);
  await sink.close();
}

function isCwError(code: string, text: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof CwError, `expected CwError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, text);
    return true;
  };
}

describe('JsonlSink', () => {
  it('writes <stream>.log as Zeek JSON lines, fields in schema order, into a created directory', async () => {
    const dir = join(root, 'a', 'b', 'logs');
    await writeRun(dir);
    assert.deepEqual(readdirSync(dir).sort(), ['t_jconn.log', 't_jmodbus.log']);
    assert.equal(readFileSync(join(dir, 't_jconn.log'), 'utf8'), EXPECTED_CONN);
    assert.equal(readFileSync(join(dir, 't_jmodbus.log'), 'utf8'), EXPECTED_MODBUS);
  });

  it('is byte-for-byte deterministic across runs and flush sizes, and truncates old files', async () => {
    const a = join(root, 'det-a');
    const b = join(root, 'det-b');
    mkdirSync(b);
    writeFileSync(join(b, 't_jconn.log'), 'stale content that must disappear '.repeat(50));
    await writeRun(a);
    await writeRun(b, 1);
    for (const f of ['t_jconn.log', 't_jmodbus.log']) assert.ok(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f);
  });

  it('flushes by size while writing and keeps at most flushChars pending', async () => {
    const dir = join(root, 'flush');
    const sink = new JsonlSink(dir, 1000);
    const path = join(dir, 't_jconn.log.partial');
    sink.write('t_jconn', CONN[0]);
    assert.equal(statSync(path).size, 0, 'one line stays buffered');
    for (let i = 0; i < 20; i++) sink.write('t_jconn', CONN[1]);
    const size = statSync(path).size;
    assert.ok(size > 0, 'full buffers are written before close');
    await sink.close();
    const final = join(dir, 't_jconn.log');
    assert.ok(!existsSync(path), 'renamed at close');
    const total = statSync(final).size;
    assert.ok(total - size < 1000 + EXPECTED_CONN.length, 'pending text stayed under flushChars + one line');
    assert.equal(readFileSync(final, 'utf8').split('\n').length, 22);
  });

  it('replaces the earlier run’s logs only when the run closes cleanly; a failed run leaves them', async () => {
    const dir = join(root, 'replace');
    await writeRun(dir);
    const before = readFileSync(join(dir, 't_jconn.log'), 'utf8');
    const failing = new JsonlSink(dir);
    failing.write('t_jconn', CONN[1]);
    assert.equal(readFileSync(join(dir, 't_jconn.log'), 'utf8'), before, 'untouched while the run writes');
    // The run dies (no close); the next run clears its partial file and writes afresh.
    const next = new JsonlSink(dir);
    assert.ok(!existsSync(join(dir, 't_jconn.log.partial')));
    next.write('t_jconn', CONN[1]);
    await next.close();
    assert.deepEqual(readdirSync(dir).sort(), ['t_jconn.log'], 'the stream the new run did not write is gone');
  });

  it('reports an unwritable directory as CW_ERR_WRITE naming it', () => {
    const file = join(root, 'plain-file');
    writeFileSync(file, 'x');
    const dir = join(file, 'logs');
    assert.throws(() => new JsonlSink(dir), isCwError('CW_ERR_WRITE', new RegExp(`^cannot write ${dir}: .+ \\(E[A-Z]+\\)$`)));
  });

  it('reports a full disk as CW_ERR_WRITE naming the file, again on later calls', async (t) => {
    if (!existsSync('/dev/full')) {
      t.skip('/dev/full absent; skipped');
      return;
    }
    const dir = join(root, 'full');
    mkdirSync(dir);
    const sink = new JsonlSink(dir, 10);
    // After the sink cleared the folder of a dead run's partial files: the stream's file is a full disk.
    symlinkSync('/dev/full', join(dir, 't_jconn.log.partial'));
    const full = isCwError('CW_ERR_WRITE', /^cannot write .*t_jconn\.log\.partial: the disk is full \(ENOSPC\)$/);
    assert.throws(() => sink.write('t_jconn', CONN[0]), full);
    assert.throws(() => sink.write('t_jconn', CONN[1]), full);
    await assert.rejects(sink.close(), full);
  });

  it('refuses a stream without a schema (CW_ERR_CONFIG)', () => {
    const sink = new JsonlSink(join(root, 'noschema'));
    assert.throws(() => sink.write('no_schema_here', { ts: 1 }), isCwError('CW_ERR_CONFIG', /no_schema_here/));
  });
});
