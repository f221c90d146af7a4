import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Flow } from '../../src/session/flow.js';
import { FlowIndex } from '../../src/session/flow-index.js';

function flow(ipProto: number, lo: string, hi: string, ports: number): Flow {
  const f = new Flow(ipProto === 6 ? 'tcp' : 'udp', ipProto, 0, -1, -1, 64);
  f.keyLo = lo;
  f.keyHi = hi;
  f.keyPorts = ports;
  return f;
}

/** Deterministic pseudo-random sequence (xorshift32) so the test is reproducible. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

test('flow index: IPv4 hash table agrees with a reference map through growth and backward-shift deletion', () => {
  const idx = new FlowIndex();
  const ref = new Map<string, Flow>();
  const r = rng(12345);
  const live: Flow[] = [];
  for (let step = 0; step < 20000; step++) {
    if (live.length > 0 && r() % 3 === 0) {
      const f = live.splice(r() % live.length, 1)[0];
      idx.delete(f);
      ref.delete(`${f.ipProto} ${f.keyLo} ${f.keyHi} ${f.keyPorts}`);
    } else {
      const a = r();
      const lo = `10.${(a >>> 16) & 3}.${(a >>> 8) & 255}.${a & 7}`; // few distinct addresses: long probe runs
      const hi = `192.168.0.${r() % 4}`;
      const proto = r() % 2 === 0 ? 6 : 17;
      const ports = FlowIndex.portsKey(r() % 65536, 502);
      const k = `${proto} ${lo} ${hi} ${ports}`;
      if (ref.has(k)) continue;
      const f = flow(proto, lo, hi, ports);
      idx.set(f);
      ref.set(k, f);
      live.push(f);
    }
  }
  assert.equal(idx.size, ref.size);
  for (const [k, f] of ref) {
    const [p, lo, hi, ports] = k.split(' ');
    assert.equal(idx.get(Number(p), lo, hi, Number(ports)), f);
  }
  assert.equal(idx.get(6, '10.0.0.1', '192.168.0.9', 1), undefined);
});

test('flow index: IPv6 keys, protocols and ports are distinct keys; delete only removes the stored flow', () => {
  const idx = new FlowIndex();
  const a = flow(6, '2001:db8::1', '2001:db8::2', FlowIndex.portsKey(40000, 502));
  const b = flow(17, '2001:db8::1', '2001:db8::2', FlowIndex.portsKey(40000, 502));
  const c = flow(6, '10.0.0.1', '10.0.0.2', FlowIndex.portsKey(65535, 65535));
  idx.set(a);
  idx.set(b);
  idx.set(c);
  assert.equal(idx.get(6, '2001:db8::1', '2001:db8::2', FlowIndex.portsKey(40000, 502)), a);
  assert.equal(idx.get(17, '2001:db8::1', '2001:db8::2', FlowIndex.portsKey(40000, 502)), b);
  assert.equal(idx.get(6, '10.0.0.1', '10.0.0.2', -1), c); // (65535 << 16) | 65535 is -1 as int32
  const stranger = flow(6, '10.0.0.1', '10.0.0.2', -1);
  idx.delete(stranger); // same key, other flow: nothing removed
  assert.equal(idx.get(6, '10.0.0.1', '10.0.0.2', -1), c);
  idx.delete(a);
  idx.delete(c);
  assert.equal(idx.get(6, '2001:db8::1', '2001:db8::2', FlowIndex.portsKey(40000, 502)), undefined);
  assert.equal(idx.get(6, '10.0.0.1', '10.0.0.2', -1), undefined);
  assert.equal(idx.size, 1);
});
