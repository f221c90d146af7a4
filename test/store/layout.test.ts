import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CwError } from '../../src/errors.js';
import type { StreamSchema } from '../../src/events/schema.js';
import { columnKind, fromColumnValue, parseSignature, tableLayout, toColumnValue } from '../../src/store/layout.js';

const schema = (name: string, fields: [string, StreamSchema['fields'][number]['type']][], key?: string[]): StreamSchema => ({
  name,
  doc: '',
  key,
  fields: fields.map(([n, type]) => ({ name: n, type, doc: '' })),
});

const configError = (text: RegExp) => (err: unknown) => err instanceof CwError && err.code === 'CW_ERR_CONFIG' && text.test(err.message);

describe('tableLayout', () => {
  it("names columns after fields with '.' → '_' and keeps the key", () => {
    const l = tableLayout(schema('conn', [['ts', 'time'], ['uid', 'string'], ['id.orig_h', 'addr'], ['id.resp_p', 'port']], ['uid']));
    assert.deepEqual(
      l.columns.map((c) => [c.column, c.kind]),
      [
        ['ts', 'real'],
        ['uid', 'text'],
        ['id_orig_h', 'text'],
        ['id_resp_p', 'integer'],
      ],
    );
    assert.deepEqual(l.keyColumns, ['uid']);
    assert.equal(l.byField.get('id.orig_h'), 2);
    assert.deepEqual(parseSignature('conn', l.signature)?.fields.map((f) => f.name), ['ts', 'uid', 'id.orig_h', 'id.resp_p']);
    assert.equal(parseSignature('conn', 'not json'), undefined);
  });

  it('maps every Zeek type', () => {
    assert.deepEqual(
      (['time', 'interval', 'double', 'count', 'int', 'port', 'bool', 'string', 'addr', 'enum', 'vector[count]', 'vector[string]', 'set[string]'] as const).map(columnKind),
      ['real', 'real', 'real', 'integer', 'integer', 'integer', 'bool', 'text', 'text', 'text', 'json', 'json', 'json'],
    );
  });

  it('refuses names that cannot be SQL identifiers, collisions, reserved tables and unknown key fields', () => {
    assert.throws(() => tableLayout(schema('bad-name', [['ts', 'time']])), configError(/bad-name/));
    assert.throws(() => tableLayout(schema('meta', [['ts', 'time']])), configError(/meta/));
    assert.throws(() => tableLayout(schema('sqlite_x', [['ts', 'time']])), configError(/sqlite_x/));
    assert.throws(() => tableLayout(schema('s', [['a b', 'string']])), configError(/"a b"/));
    assert.throws(() => tableLayout(schema('s', [['id.orig_h', 'addr'], ['id_orig_h', 'addr']])), configError(/collide on column id_orig_h/));
    assert.throws(() => tableLayout(schema('s', [['ts', 'time']], ['uid'])), configError(/key field "uid"/));
  });
});

describe('column values', () => {
  it('converts log values to SQL and back', () => {
    assert.equal(toColumnValue(undefined), null);
    assert.equal(toColumnValue(null), null);
    assert.equal(toColumnValue(true), 1);
    assert.equal(toColumnValue(false), 0);
    assert.equal(toColumnValue(['a', 'b']), '["a","b"]');
    assert.equal(toColumnValue(1.5), 1.5);
    assert.equal(toColumnValue('x'), 'x');
    assert.equal(fromColumnValue('bool', 1), true);
    assert.equal(fromColumnValue('bool', 0), false);
    assert.deepEqual(fromColumnValue('json', '[1,2]'), [1, 2]);
    assert.equal(fromColumnValue('text', null), null);
    assert.equal(fromColumnValue('real', 2.5), 2.5);
  });
});
