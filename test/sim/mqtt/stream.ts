// Test helper: splits a reassembled MQTT byte stream into control packets, independently of the encoders
// (fixed header byte, Remaining Length as a Variable Byte Integer, MQTT 3.1.1 §2.2 / 5.0 §2.1).
import assert from 'node:assert/strict';

export interface StreamPacket {
  type: number;
  flags: number;
  body: number[];
}

/** The control packets of `stream`; asserts that it ends on a packet boundary. */
export function mqttPackets(stream: number[]): StreamPacket[] {
  const out: StreamPacket[] = [];
  let o = 0;
  while (o < stream.length) {
    const first = stream[o++];
    let len = 0;
    let mul = 1;
    let b: number;
    do {
      b = stream[o++];
      len += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    out.push({ type: first >> 4, flags: first & 15, body: stream.slice(o, o + len) });
    o += len;
  }
  assert.equal(o, stream.length, 'stream ends on a packet boundary');
  return out;
}

/** Topic and payload of a PUBLISH body (QoS > 0 skips the packet id; `v5` skips the property block). */
export function publishOf(p: StreamPacket, v5: boolean): { topic: string; payload: string } {
  const tlen = (p.body[0] << 8) | p.body[1];
  const topic = Buffer.from(p.body.slice(2, 2 + tlen)).toString('utf8');
  let o = 2 + tlen + ((p.flags >> 1) & 3 ? 2 : 0);
  if (v5) {
    let plen = 0;
    let mul = 1;
    let b: number;
    do {
      b = p.body[o++];
      plen += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    o += plen;
  }
  return { topic, payload: Buffer.from(p.body.slice(o)).toString('utf8') };
}
