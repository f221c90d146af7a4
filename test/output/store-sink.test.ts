import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { setImmediate as tick } from 'node:timers/promises';
import { CwError } from '../../src/errors.js';
import type { LogRecord } from '../../src/events/record.js';
import { defineStream } from '../../src/events/schema.js';
import { StoreSink } from '../../src/output/store-sink.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { SelectQuery, Store } from '../../src/store/store.js';

defineStream({
  name: 't_sink',
  doc: 'store-sink test stream',
  key: ['uid'],
  fields: [
    { name: 'ts', type: 'time', doc: '' },
    { name: 'uid', type: 'string', doc: '' },
    { name: 'bytes', type: 'count', doc: '' },
  ],
});

const dir = mkdtempSync(join(tmpdir(), 'cw-store-sink-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const rec = (i: number): LogRecord => ({ ts: 1700000000 + i, uid: `C${i}`, bytes: i * 10 });

/** A Store that records calls and can be told to fail. */
class FakeStore implements Store {
  readonly location = 'fake://store';
  readonly batches: { stream: string; records: readonly LogRecord[] }[] = [];
  closed = false;
  constructor(private readonly failWith: unknown = null) {}
  async open(): Promise<void> {}
  async insertBatch(stream: string, records: readonly LogRecord[]): Promise<void> {
    if (this.failWith !== null) throw this.failWith;
    this.batches.push({ stream, records });
  }
  async count(): Promise<number> {
    return 0;
  }
  async select(_stream: string, _q: SelectQuery): Promise<LogRecord[]> {
    return [];
  }
  async setMeta(): Promise<void> {}
  async getMeta(): Promise<Record<string, string>> {
    return {};
  }
  async clear(): Promise<void> {}
  rolledBack = false;
  async begin(): Promise<void> {}
  async rollback(): Promise<void> {
    this.rolledBack = true;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function isWriteError(text: RegExp) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof CwError, `expected CwError, got ${String(err)}`);
    assert.equal(err.code, 'CW_ERR_WRITE');
    assert.match(err.message, text);
    return true;
  };
}

describe('StoreSink', () => {
  it('writes full batches as they fill and the rest at close, then closes the store', async () => {
    const store = new FakeStore();
    const sink = new StoreSink(store, 3);
    for (let i = 0; i < 7; i++) sink.write('t_sink', rec(i));
    await tick();
    assert.deepEqual(
      store.batches.map((b) => b.records.length),
      [3, 3],
    );
    await sink.close();
    assert.deepEqual(
      store.batches.map((b) => b.records.map((r) => r.uid)),
      [['C0', 'C1', 'C2'], ['C3', 'C4', 'C5'], ['C6']],
    );
    assert.ok(store.closed);
  });

  it('keeps copies: a record object reused by its producer after write does not change what is stored', async () => {
    const store = new FakeStore();
    const sink = new StoreSink(store, 10);
    const reused: Record<string, number | string> = { ts: 1, uid: 'CA', bytes: 1 };
    sink.write('t_sink', reused);
    reused.uid = 'CB';
    sink.write('t_sink', reused);
    await sink.close();
    assert.deepEqual(
      store.batches[0].records.map((r) => r.uid),
      ['CA', 'CB'],
    );
  });

  it('throws CW_ERR_CONFIG at the first record of a stream without a schema', () => {
    const sink = new StoreSink(new FakeStore());
    assert.throws(
      () => sink.write('unregistered_stream', { ts: 1 }),
      (err: unknown) => err instanceof CwError && err.code === 'CW_ERR_CONFIG' && /unregistered_stream/.test(err.message),
    );
  });

  it('turns a store failure into CW_ERR_WRITE with the location: thrown by the next write and by close', async () => {
    const sink = new StoreSink(new FakeStore(Object.assign(new Error('write failed'), { code: 'ENOSPC' })), 2);
    sink.write('t_sink', rec(1));
    sink.write('t_sink', rec(2));
    await tick();
    assert.throws(() => sink.write('t_sink', rec(3)), isWriteError(/^cannot write fake:\/\/store: the disk is full \(ENOSPC\)$/));
    await assert.rejects(sink.close(), isWriteError(/fake:\/\/store/));
  });

  it('stores into SQLite end to end, idempotently', async () => {
    const path = join(dir, 'sink.sqlite');
    for (let run = 0; run < 2; run++) {
      const store = new SqliteStore(path);
      await store.open();
      const sink = new StoreSink(store, 4);
      for (let i = 0; i < 10; i++) sink.write('t_sink', rec(i));
      await sink.close();
    }
    const check = new SqliteStore(path);
    await check.open();
    assert.equal(await check.count('t_sink'), 10);
    assert.deepEqual(await check.select('t_sink', { where: { uid: 'C9' }, limit: 1 }), [rec(9)]);
    await check.close();
  });

  it('reports a full SQLite database at close as CW_ERR_WRITE naming the file', async () => {
    const path = join(dir, 'full.sqlite');
    const store = new SqliteStore(path, { maxDatabaseBytes: 32 * 1024 });
    await store.open();
    const sink = new StoreSink(store, 1000);
    for (let i = 0; i < 3000; i++) sink.write('t_sink', { ...rec(i), uid: `C${i}`.padEnd(64, '.') });
    await assert.rejects(sink.close(), isWriteError(new RegExp(`^cannot write ${path.replaceAll('.', '\\.')}: .*full \\(SQLITE_FULL\\)$`)));
  });
});
