import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameBuilder } from '../../src/sim/net/frame-builder.js';
import { createHost } from '../../src/sim/net/host.js';
import { CLIENT, SERVER, TcpConnection } from '../../src/sim/net/tcp-connection.js';
import { TcpFlag } from '../../src/sim/net/tcp-header.js';
import { Prng } from '../../src/sim/random.js';
import { parseFrame, Recorder, replayTcp as replay } from './wire.js';

const { FIN, SYN, RST, PSH, ACK } = TcpFlag;

function setup(rng: Prng = new Prng(5), serverWindow?: number) {
  const rec = new Recorder();
  const fb = new FrameBuilder(rec);
  const c = createHost({ name: 'c', mac: '00:14:22:00:00:01', ip: '10.0.0.1', stack: 'linux' }, rng);
  const s = createHost({ name: 's', mac: '00:80:f4:00:00:02', ip: '10.0.0.2', stack: 'embedded', mss: 1380, window: serverWindow }, rng);
  const conn = new TcpConnection(fb, c, 40000, s, 502, rng);
  return { rec, conn };
}

test('whole connection: handshake, request/response, delayed ACK, segmentation, FIN close', () => {
  const { rec, conn } = setup();
  assert.equal(conn.send(CLIENT, 0, new Uint8Array(5), 0, 5), 0, 'no data before the handshake');
  assert.equal(conn.synAck(0), false, 'no SYN/ACK before a SYN');
  assert.equal(conn.syn(1), true);
  assert.equal(conn.syn(1), false);
  assert.equal(conn.synAck(1.001), true);
  assert.equal(conn.owesAck(SERVER), false);
  assert.equal(conn.ack(CLIENT, 1.002), true);
  assert.equal(conn.established, true);
  assert.equal(conn.ack(CLIENT, 1.003), false, 'nothing to acknowledge');

  const req = Uint8Array.from([0, 1, 0, 0, 0, 6, 1, 3, 0, 0, 0, 12]);
  const big = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
  assert.equal(conn.send(CLIENT, 2, req, 0, req.length), 1);
  assert.equal(conn.owesAck(SERVER), true);
  // 5000 bytes from the server: effective MSS = min(client's 1460, server's 1380) = 1380.
  const frames = conn.send(SERVER, 2.004, big, 0, big.length);
  assert.equal(conn.owesAck(SERVER), false);
  assert.equal(conn.owesAck(CLIENT), true);
  assert.equal(conn.ack(CLIENT, 2.044), true, 'delayed ACK for the response');
  assert.equal(conn.fin(CLIENT, 3), true);
  assert.equal(conn.send(CLIENT, 3, req, 0, 1), 0, 'no data after our FIN');
  assert.equal(conn.fin(SERVER, 3.001), true);
  assert.equal(conn.ack(CLIENT, 3.002), true);
  assert.equal(conn.closed, true);

  const parsed = rec.frames.map((f) => parseFrame(f.data));
  const { streams, pureAcks } = replay(parsed, '10.0.0.1');
  assert.deepEqual(streams[0], Array.from(req));
  assert.deepEqual(streams[1], Array.from(big));
  const sizes = parsed.filter((p) => p.ipSrc === '10.0.0.2' && p.tcp!.payload.length > 0).map((p) => p.tcp!.payload.length);
  assert.deepEqual(sizes, [1380, 1380, 1380, 860]);
  // ACKs from the client after every second full-sized segment (RFC 5681 §4.2)
  const order = parsed.map((p) => `${p.ipSrc === '10.0.0.1' ? 'c' : 's'}:${p.tcp!.flags}:${p.tcp!.payload.length}`);
  assert.deepEqual(order, [
    `c:${SYN}:0`,
    `s:${SYN | ACK}:0`,
    `c:${ACK}:0`,
    `c:${PSH | ACK}:12`,
    `s:${ACK}:1380`,
    `s:${ACK}:1380`,
    `c:${ACK}:0`,
    `s:${ACK}:1380`,
    `s:${PSH | ACK}:860`,
    `c:${ACK}:0`,
    `c:${FIN | ACK}:0`,
    `s:${FIN | ACK}:0`,
    `c:${ACK}:0`,
  ]);
  assert.equal(frames, 5, '4 segments and 1 receiver ACK');
  assert.equal(pureAcks.length, 4);
  assert.equal(parsed[0].tcp!.mss, 1460);
  assert.equal(parsed[1].tcp!.mss, 1380);
  assert.equal(parsed[1].tcp!.window, 8192);
  assert.equal(parsed[0].tcp!.window, 64240);
  assert.equal(parsed[0].ttl, 64);
  // identification counters advance by one per packet of each host
  const ids = parsed.filter((p) => p.ipSrc === '10.0.0.1').map((p) => p.ipId);
  for (let i = 1; i < ids.length; i++) assert.equal(ids[i], (ids[i - 1] + 1) & 0xffff);
});

test('the sender never fills the receiver window: the receiver ACKs first', () => {
  const { rec, conn } = setup(new Prng(9), 2000);
  conn.syn(0);
  conn.synAck(0);
  conn.ack(CLIENT, 0);
  const data = new Uint8Array(4000);
  conn.send(CLIENT, 1, data, 0, data.length);
  const parsed = rec.frames.map((f) => parseFrame(f.data));
  replay(parsed, '10.0.0.1');
  let inFlight = 0;
  for (const p of parsed.slice(3)) {
    if (p.ipSrc === '10.0.0.1') {
      inFlight += p.tcp!.payload.length;
      assert.ok(inFlight < 2000, `in flight ${inFlight} stays below the window`);
    } else {
      inFlight = 0;
    }
  }
});

test('RST aborts: RST/ACK with window 0, nothing after it', () => {
  const { rec, conn } = setup();
  conn.syn(0);
  conn.synAck(0.1);
  conn.ack(CLIENT, 0.2);
  conn.send(CLIENT, 1, new Uint8Array(3), 0, 3);
  assert.equal(conn.rst(CLIENT, 2), true);
  assert.equal(conn.rst(SERVER, 2), false);
  assert.equal(conn.send(SERVER, 3, new Uint8Array(3), 0, 3), 0);
  assert.equal(conn.ack(SERVER, 3), false);
  assert.equal(conn.closed, true);
  const parsed = rec.frames.map((f) => parseFrame(f.data));
  replay(parsed, '10.0.0.1');
  const last = parsed[parsed.length - 1].tcp!;
  assert.equal(last.flags, RST | ACK);
  assert.equal(last.window, 0);
  assert.equal(parsed.length, 5);
});

test('sequence numbers wrap around 2^32', () => {
  class NearWrap extends Prng {
    override u32(): number {
      return 0xfffffff0;
    }
  }
  const { rec, conn } = setup(new NearWrap(1));
  assert.deepEqual(conn.isn, [0xfffffff0, 0xfffffff0]);
  conn.syn(0);
  conn.synAck(0);
  conn.ack(CLIENT, 0);
  conn.send(CLIENT, 1, new Uint8Array(40), 0, 40);
  conn.send(SERVER, 1, new Uint8Array(40), 0, 40);
  assert.equal(conn.nextSeq(CLIENT), (0xfffffff0 + 41) >>> 0);
  const parsed = rec.frames.map((f) => parseFrame(f.data));
  replay(parsed, '10.0.0.1');
  assert.equal(parsed[4].tcp!.ack, 0x19);
});

test('ISNs are seeded: same seed same ISNs, other seed other ISNs', () => {
  const a = setup(new Prng(42)).conn.isn;
  const b = setup(new Prng(42)).conn.isn;
  const c = setup(new Prng(43)).conn.isn;
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
});
