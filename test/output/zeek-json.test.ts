import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamSchema } from '../../src/events/schema.js';
import { JsonBytes } from '../../src/output/json-bytes.js';
import { zeekJsonDouble, zeekJsonEncoder } from '../../src/output/zeek-json.js';

describe('zeekJsonDouble (rapidjson Writer::Double as Zeek uses it)', () => {
  const cases: [number, string][] = [
    [100, '100.0'], // integral values keep ".0" (Zeek baseline ascii-json: "iv":100.0)
    [0, '0.0'],
    [-0, '-0.0'],
    [3.14, '3.14'], // shortest round-trip digits
    [1258531221.486539, '1258531221.486539'], // a pcap µs timestamp: 6 decimals, no padding
    [1700000000.5, '1700000000.5'], // … and none added when fewer are needed
    [177.095534, '177.095534'],
    [0.000239, '0.000239'],
    [0.000001, '0.000001'], // 1e-6 is still written in plain form
    [1e-7, '1e-7'], // below it: exponent, no '+'
    [1.5e-7, '1.5e-7'],
    [-2.5, '-2.5'],
    [1e20, '100000000000000000000.0'],
    [1e21, '1e21'],
    [1.5e21, '1.5e21'],
    [Number.NaN, 'null'],
    [Number.POSITIVE_INFINITY, 'null'],
  ];
  for (const [x, s] of cases) {
    it(`${String(x)} → ${s}`, () => assert.equal(zeekJsonDouble(x), s));
  }
  it('reads back as the same double', () => {
    for (const x of [1258531221.486539, 0.1 + 0.2, 5e-324, 1.7976931348623157e308, 123456.789e-10]) {
      assert.equal(Number(zeekJsonDouble(x)), x);
    }
  });
});

describe('zeekJsonEncoder', () => {
  // The field set of Zeek's own JSON writer test (testing/btest/Baseline/scripts.base.frameworks.logging.ascii-json),
  // restricted to the types this project logs.
  const schema: StreamSchema = {
    name: 'json_types',
    doc: '',
    fields: [
      { name: 'b', type: 'bool', doc: '' },
      { name: 'i', type: 'int', doc: '' },
      { name: 'e', type: 'enum', doc: '' },
      { name: 'c', type: 'count', doc: '' },
      { name: 'p', type: 'port', doc: '' },
      { name: 'a', type: 'addr', doc: '' },
      { name: 'd', type: 'double', doc: '' },
      { name: 't', type: 'time', doc: '' },
      { name: 'iv', type: 'interval', doc: '' },
      { name: 's', type: 'string', doc: '' },
      { name: 'ss', type: 'set[string]', doc: '' },
      { name: 'se', type: 'set[string]', doc: '' },
      { name: 'vc', type: 'vector[count]', doc: '' },
      { name: 've', type: 'vector[string]', doc: '' },
    ],
  };
  const encoder = zeekJsonEncoder(schema);
  /** One line through a small buffer (it must grow), as text. */
  const encode = (record: Record<string, unknown>): string => {
    const out = new JsonBytes(8);
    encoder(record as never, out);
    return Buffer.from(out.buf.subarray(0, out.len)).toString('utf8');
  };

  it('writes the types as Zeek does, keys in schema order whatever the record order', () => {
    const line = encode({
      ve: [],
      vc: [10, 20, 30],
      se: [],
      ss: ['CC', 'BB', 'AA'],
      s: 'hurz',
      iv: 100,
      t: 1258531221.486539,
      d: 3.14,
      a: '1.2.3.4',
      p: 123,
      c: 21,
      e: 'SSH::LOG',
      i: -42,
      b: true,
    });
    assert.equal(
      line,
      '{"b":true,"i":-42,"e":"SSH::LOG","c":21,"p":123,"a":"1.2.3.4","d":3.14,"t":1258531221.486539,"iv":100.0,' +
        '"s":"hurz","ss":["CC","BB","AA"],"se":[],"vc":[10,20,30],"ve":[]}\n',
    );
  });

  it('omits unset (undefined / null) fields and escapes strings', () => {
    assert.equal(encode({ s: 'a"b\\c\n\u0001é', c: null, d: undefined, b: false }), '{"b":false,"s":"a\\"b\\\\c\\n\\u0001é"}\n');
    assert.equal(encode({}), '{}\n');
  });

  it('writes every double as zeekJsonDouble does (microsecond values take a faster path)', () => {
    let seed = 7;
    const rnd = (): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const xs = [0.1 + 0.2, 1 / 3, 1e-7, 123456.7890123, 2 ** 33 + 0.5, 1e21, -0.000239, 1258531221 + 486539 / 1e6, 1258531221 + 486539 * 1e-6];
    for (let i = 0; i < 5000; i++) xs.push(Math.floor(rnd() * 2e9) + Math.floor(rnd() * 1e6) * 1e-6, rnd() * 10, rnd() * 1e12);
    for (const x of xs) assert.equal(encode({ d: x }), `{"d":${zeekJsonDouble(x)}}\n`, String(x));
  });

  it('ignores fields that are not in the schema', () => {
    assert.equal(encode({ zz: 1, c: 2 }), '{"c":2}\n');
  });
});
