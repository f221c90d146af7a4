import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { CwError } from '../../src/errors.js';
import type { LogRecord } from '../../src/events/record.js';
import { defineStream } from '../../src/events/schema.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import { REPO_ROOT } from '../helpers/shared-data.js';

// Test schemas (their own names, so the stages' real `conn` / `modbus` schemas never clash with them).
defineStream({
  name: 't_conn',
  doc: 'conn-like test stream',
  key: ['uid'],
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
  name: 't_modbus',
  doc: 'modbus-like test stream',
  key: ['uid', 'tid', 'pdu_type'],
  fields: [
    { name: 'ts', type: 'time', doc: '' },
    { name: 'uid', type: 'string', doc: '' },
    { name: 'tid', type: 'count', doc: '' },
    { name: 'unit', type: 'count', doc: '' },
    { name: 'func', type: 'string', doc: '' },
    { name: 'pdu_type', type: 'string', doc: '' },
    { name: 'exception', type: 'string', doc: '' },
    { name: 'registers', type: 'vector[count]', doc: '' },
  ],
});
defineStream({
  name: 't_nokey',
  doc: 'stream without a natural key',
  fields: [
    { name: 'ts', type: 'time', doc: '' },
    { name: 'name', type: 'string', doc: '' },
  ],
});

const dir = mkdtempSync(join(tmpdir(), 'cw-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const dbPath = (): string => join(dir, `sub${++n}`, 'run.sqlite');

const CONN: LogRecord[] = [
  {
    ts: 1700000000.123456,
    uid: 'CAAAAAAAAAAAAAAAAA',
    'id.orig_h': '10.0.0.9',
    'id.orig_p': 3082,
    'id.resp_h': '10.0.0.3',
    'id.resp_p': 502,
    proto: 'tcp',
    service: 'modbus',
    duration: 177.095534,
    orig_bytes: 72,
    local_orig: true,
    tunnel_parents: [],
  },
  {
    ts: 1700000001.5,
    uid: 'CBBBBBBBBBBBBBBBBB',
    'id.orig_h': 'fe80::1',
    'id.orig_p': 546,
    'id.resp_h': 'ff02::1:2',
    'id.resp_p': 547,
    proto: 'udp',
    duration: 0,
    orig_bytes: 0,
    local_orig: false,
    tunnel_parents: ['CXXXXXXXXXXXXXXXXX', 'CYYYYYYYYYYYYYYYYY'],
  },
];

const MODBUS: LogRecord[] = [
  { ts: 1700000000.2, uid: 'CAAAAAAAAAAAAAAAAA', tid: 1, unit: 1, func: 'READ_HOLDING_REGISTERS', pdu_type: 'REQ' },
  { ts: 1700000000.3, uid: 'CAAAAAAAAAAAAAAAAA', tid: 1, unit: 1, func: 'READ_HOLDING_REGISTERS', pdu_type: 'RESP', registers: [0, 65535, 17] },
  { ts: 1700000000.4, uid: 'CAAAAAAAAAAAAAAAAA', tid: 2, unit: 1, func: 'WRITE_SINGLE_REGISTER', pdu_type: 'RESP', exception: 'ILLEGAL_DATA_ADDRESS' },
];

async function rejectsWith(p: Promise<unknown>, code: string, text: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof CwError, `expected CwError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.match(err.message, text);
    return true;
  });
}

describe('SqliteStore', () => {
  it('round-trips conn-like and modbus-like records (bool, sets, vectors, unset fields)', async () => {
    const path = dbPath();
    const store = new SqliteStore(path);
    await store.open();
    await store.insertBatch('t_conn', CONN);
    await store.insertBatch('t_modbus', MODBUS);
    assert.equal(await store.count('t_conn'), 2);
    assert.equal(await store.count('t_modbus'), 3);
    assert.deepEqual(await store.select('t_conn', { limit: 10 }), CONN);
    assert.deepEqual(await store.select('t_modbus', { limit: 10 }), MODBUS);
    await store.close();

    // The file as another SQLite client sees it: column names, types, JSON vectors, 0/1 bools.
    const raw = new Database(path, { readonly: true });
    const cols = raw.prepare('PRAGMA table_info(t_conn)').all() as { name: string; type: string }[];
    assert.deepEqual(
      cols.map((c) => `${c.name} ${c.type}`),
      [
        'ts REAL',
        'uid TEXT',
        'id_orig_h TEXT',
        'id_orig_p INTEGER',
        'id_resp_h TEXT',
        'id_resp_p INTEGER',
        'proto TEXT',
        'service TEXT',
        'duration REAL',
        'orig_bytes INTEGER',
        'local_orig INTEGER',
        'tunnel_parents TEXT',
      ],
    );
    const row = raw.prepare('SELECT tunnel_parents, local_orig, service, typeof(id_orig_p) AS t FROM t_conn WHERE uid = ?').get('CBBBBBBBBBBBBBBBBB');
    assert.deepEqual(row, { tunnel_parents: '["CXXXXXXXXXXXXXXXXX","CYYYYYYYYYYYYYYYYY"]', local_orig: 0, service: null, t: 'integer' });
    assert.equal(raw.prepare("SELECT registers FROM t_modbus WHERE pdu_type = 'RESP' AND tid = 1").pluck().get(), '[0,65535,17]');
    assert.equal(raw.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get(), '1');
    assert.equal(raw.prepare('PRAGMA journal_mode').pluck().get(), 'delete');
    raw.close();
  });

  it('re-inserting records with the same natural key adds nothing, also after reopening', async () => {
    const path = dbPath();
    const store = new SqliteStore(path);
    await store.open();
    await store.insertBatch('t_conn', CONN);
    await store.insertBatch('t_conn', CONN);
    await store.insertBatch('t_modbus', [...MODBUS, ...MODBUS]);
    assert.equal(await store.count('t_conn'), 2);
    assert.equal(await store.count('t_modbus'), 3);
    await store.close();
    const again = new SqliteStore(path);
    await again.open();
    await again.insertBatch('t_conn', [CONN[1], { ...CONN[0], uid: 'CNEWNEWNEWNEWNEWNE' }]);
    assert.equal(await again.count('t_conn'), 3);
    await again.close();
  });

  it('keeps every row of a stream without a key', async () => {
    const store = new SqliteStore(dbPath());
    await store.open();
    const recs = [{ ts: 1, name: 'a' }];
    await store.insertBatch('t_nokey', recs);
    await store.insertBatch('t_nokey', recs);
    assert.equal(await store.count('t_nokey'), 2);
    await store.close();
  });

  it('splits a large batch into transactions of batchRows', async () => {
    const store = new SqliteStore(dbPath(), { batchRows: 2 });
    await store.open();
    const recs = Array.from({ length: 7 }, (_, i) => ({ ts: i, uid: `C${i}`, 'id.orig_h': '10.0.0.1' }));
    await store.insertBatch('t_conn', recs);
    assert.equal(await store.count('t_conn'), 7);
    await store.close();
  });

  it('selects with where, orderBy, limit and offset', async () => {
    const store = new SqliteStore(dbPath());
    await store.open();
    await store.insertBatch('t_modbus', MODBUS);
    const rows = await store.select('t_modbus', { where: { uid: 'CAAAAAAAAAAAAAAAAA', unit: 1 }, orderBy: [{ field: 'ts', desc: true }], limit: 2 });
    assert.deepEqual(
      rows.map((r) => r.ts),
      [1700000000.4, 1700000000.3],
    );
    const page = await store.select('t_modbus', { orderBy: [{ field: 'func' }, { field: 'ts' }], limit: 1, offset: 1 });
    assert.equal(page[0].pdu_type, 'RESP');
    assert.equal(page[0].func, 'READ_HOLDING_REGISTERS');
    assert.deepEqual(await store.select('t_modbus', { where: { pdu_type: 'NONE' }, limit: 5 }), []);
    await rejectsWith(store.select('t_modbus', { where: { 'id.orig_h': 'x' }, limit: 5 }), 'CW_ERR_USAGE', /no field "id.orig_h"/);
    await rejectsWith(store.select('t_modbus', { limit: 10_001 }), 'CW_ERR_USAGE', /limit/);
    await rejectsWith(store.select('t_modbus', { limit: 1, offset: -1 }), 'CW_ERR_USAGE', /offset/);
    assert.equal(await store.count('t_nokey'), 0, 'a stream without a table has no rows');
    assert.deepEqual(await store.select('t_nokey', { limit: 1 }), []);
    await store.close();
  });

  it('reads a table whose stream this process never registered, from the layout stored in meta', async () => {
    const path = dbPath();
    const store = new SqliteStore(path);
    await store.open();
    await store.close();
    const raw = new Database(path);
    raw.exec('CREATE TABLE foreign_stream (ts REAL, flags TEXT, ok INTEGER)');
    raw.prepare('INSERT INTO meta VALUES (?, ?)').run('stream.foreign_stream', '{"fields":[["ts","time"],["flags","set[string]"],["ok","bool"]],"key":[]}');
    raw.prepare('INSERT INTO foreign_stream VALUES (?, ?, ?)').run(5.25, '["A","B"]', 1);
    raw.close();
    const reader = new SqliteStore(path);
    await reader.open();
    assert.deepEqual(await reader.select('foreign_stream', { limit: 5 }), [{ ts: 5.25, flags: ['A', 'B'], ok: true }]);
    await reader.close();
  });

  it('stores run information in meta and guards its own keys', async () => {
    const store = new SqliteStore(dbPath());
    await store.open();
    await store.insertBatch('t_nokey', [{ ts: 1, name: 'x' }]);
    await store.setMeta({ 'run.inputs': 'a.pcap', 'run.packets': '12' });
    await store.setMeta({ 'run.packets': '13' });
    const meta = await store.getMeta();
    assert.deepEqual(Object.keys(meta), ['run.inputs', 'run.packets', 'schema_version', 'stream.t_nokey']);
    assert.equal(meta['run.packets'], '13');
    await rejectsWith(store.setMeta({ schema_version: '9' }), 'CW_ERR_CONFIG', /reserved/);
    await store.close();
  });

  it('throws CW_ERR_CONFIG at the first insert of a stream without a schema', async () => {
    const store = new SqliteStore(dbPath());
    await store.open();
    await rejectsWith(store.insertBatch('no_such_stream', [{ ts: 1 }]), 'CW_ERR_CONFIG', /no_such_stream has no registered schema/);
    await store.close();
  });

  it('refuses a table created with other fields', async () => {
    const path = dbPath();
    const store = new SqliteStore(path);
    await store.open();
    await store.close();
    const raw = new Database(path);
    raw.prepare('INSERT INTO meta VALUES (?, ?)').run('stream.t_nokey', '{"fields":[["ts","time"]],"key":[]}');
    raw.close();
    const again = new SqliteStore(path);
    await again.open();
    await rejectsWith(again.insertBatch('t_nokey', [{ ts: 1 }]), 'CW_ERR_WRITE', /table t_nokey was created with other fields/);
    await again.close();
  });

  it('a replacing run recreates a table made with other fields (an older layout) and keeps the others', async () => {
    const path = dbPath();
    const store = new SqliteStore(path);
    await store.open();
    await store.insertBatch('t_nokey', [{ ts: 1 }]);
    await store.close();
    const raw = new Database(path);
    raw.exec('DROP TABLE t_nokey; CREATE TABLE t_nokey (ts REAL, gone TEXT); INSERT INTO t_nokey VALUES (5, \'old\');');
    raw.prepare('UPDATE meta SET value = ? WHERE key = ?').run('{"fields":[["ts","time"],["gone","string"]],"key":[]}', 'stream.t_nokey');
    raw.exec('CREATE TABLE mine (x INTEGER); INSERT INTO mine VALUES (7);');
    raw.close();
    const run = new SqliteStore(path);
    await run.open();
    await run.begin();
    await run.clear();
    await run.insertBatch('t_nokey', [{ ts: 2 }]);
    await run.close();
    const check = new Database(path, { readonly: true });
    const cols = (check.prepare("SELECT name FROM pragma_table_info('t_nokey')").pluck().all() as string[]).sort();
    assert.ok(!cols.includes('gone'), cols.join(','));
    assert.deepEqual(check.prepare('SELECT ts FROM t_nokey').pluck().all(), [2]);
    assert.notEqual(check.prepare("SELECT value FROM meta WHERE key = 'stream.t_nokey'").pluck().get(), '{"fields":[["ts","time"],["gone","string"]],"key":[]}');
    assert.deepEqual(check.prepare('SELECT x FROM mine').pluck().all(), [7], 'tables of others are left alone');
    check.close();
  });

  it('reports an unwritable path as CW_ERR_WRITE naming it', async () => {
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a directory');
    const path = join(file, 'db', 'run.sqlite');
    await rejectsWith(new SqliteStore(path).open(), 'CW_ERR_WRITE', new RegExp(`^cannot write ${path.replaceAll('/', '\\/')}: .+ \\(E[A-Z]+\\)$`));
  });

  it('refuses, and leaves untouched, a file that is not a database (even one shorter than the SQLite header)', async () => {
    for (const content of ['x'.repeat(4096), 'x']) {
      const path = join(dir, 'text.sqlite');
      writeFileSync(path, content);
      await rejectsWith(new SqliteStore(path).open(), 'CW_ERR_WRITE', /not a SQLite database/);
      assert.equal(readFileSync(path, 'utf8'), content);
    }
  });

  it('reports a damaged database as CW_ERR_WRITE', async () => {
    const path = join(dir, 'damaged.sqlite');
    writeFileSync(path, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(200, 0xff)]));
    await rejectsWith(new SqliteStore(path).open(), 'CW_ERR_WRITE', /^cannot write .*damaged\.sqlite: .+ \(SQLITE_[A-Z_]+\)$/);
  });

  it('reports a full database as CW_ERR_WRITE (SQLITE_FULL) and keeps the committed rows', async () => {
    const path = dbPath();
    const store = new SqliteStore(path, { maxDatabaseBytes: 64 * 1024, batchRows: 100 });
    await store.open();
    const recs = Array.from({ length: 5000 }, (_, i) => ({ ts: i, uid: `C${i}`.padEnd(40, 'x'), service: 'modbus' }));
    await rejectsWith(store.insertBatch('t_conn', recs), 'CW_ERR_WRITE', /full \(SQLITE_FULL\)$/);
    const kept = await store.count('t_conn');
    assert.ok(kept > 0 && kept < 5000 && kept % 100 === 0, `whole transactions kept, got ${kept}`);
    await store.close();
  });

  it('needs open() before use', async () => {
    await rejectsWith(new SqliteStore(':memory:').count('t_conn'), 'CW_ERR_CONFIG', /not open/);
  });
});

describe('SqliteStore.clear', () => {
  it('empties the stream tables it created and leaves other tables alone', async () => {
    const path = join(dir, 'clear.sqlite');
    const store = new SqliteStore(path);
    await store.open();
    await store.insertBatch('t_conn', CONN);
    await store.close();
    const raw = new Database(path);
    raw.exec('CREATE TABLE analyst_notes (note TEXT); INSERT INTO analyst_notes VALUES (\'keep me\')');
    raw.close();
    const again = new SqliteStore(path);
    await again.open();
    await again.clear();
    assert.equal(await again.count('t_conn'), 0);
    await again.insertBatch('t_conn', CONN);
    assert.equal(await again.count('t_conn'), CONN.length);
    await again.close();
    const check = new Database(path, { readonly: true });
    assert.equal((check.prepare('SELECT count(*) AS n FROM analyst_notes').get() as { n: number }).n, 1);
    check.close();
  });
});

describe('SqliteStore runs (begin … close)', () => {
  it('commits clear and inserts together at close; a rolled-back or abandoned run leaves the earlier rows', async () => {
    const path = join(dir, 'run.sqlite');
    const first = new SqliteStore(path);
    await first.open();
    await first.begin();
    await first.insertBatch('t_conn', CONN);
    await first.close();
    const rows = async (): Promise<number> => {
      const s = new SqliteStore(path);
      await s.open();
      const n = await s.count('t_conn');
      await s.close();
      return n;
    };
    assert.equal(await rows(), CONN.length);

    const failed = new SqliteStore(path);
    await failed.open();
    await failed.begin();
    await failed.clear();
    await failed.insertBatch('t_conn', CONN.slice(0, 1));
    await failed.rollback();
    await failed.close();
    assert.equal(await rows(), CONN.length, 'rollback kept the earlier run');

    // A process that dies mid-run: the connection goes away without COMMIT.
    const child = spawnSync(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), '-e', `import { SqliteStore } from ${JSON.stringify(join(REPO_ROOT, 'src/store/sqlite.ts'))}; const s = new SqliteStore(${JSON.stringify(path)}); await s.open(); await s.begin(); await s.clear(); process.exit(9);`],
      { encoding: 'utf8' },
    );
    assert.equal(child.status, 9, child.stderr);
    assert.equal(await rows(), CONN.length, 'an abandoned run rolled back');

    const full = new SqliteStore(path, { maxDatabaseBytes: 64 * 1024, batchRows: 100 });
    await full.open();
    await full.begin();
    await full.clear();
    await rejectsWith(full.insertBatch('t_conn', Array.from({ length: 5000 }, (_, i) => ({ ts: i, uid: `C${i}`.padEnd(40, 'x') }))), 'CW_ERR_WRITE', /SQLITE_FULL/);
    await full.rollback();
    await full.close();
    assert.equal(await rows(), CONN.length, 'a disk-full run left the earlier results');
  });
});
