/**
 * Test helper: a classic pcap (draft-ietf-opsawg-pcap: little-endian, microseconds, LINKTYPE_ETHERNET)
 * of one TCP connection carrying the given payloads: three-way handshake, one segment per payload with
 * sequence numbers advancing (RFC 9293 §3.4), FIN / ACK at the end. IPv4 (RFC 791) and TCP checksums
 * are computed, so every tool takes the frames as sent.
 */

const CLIENT_MAC = [0x02, 0, 0, 0, 0, 0x01];
const SERVER_MAC = [0x02, 0, 0, 0, 0, 0x02];

/** One payload of the connection: `fromClient` true for the originator's bytes; `ts` seconds since the epoch. */
export interface Segment {
  fromClient: boolean;
  ts: number;
  bytes: Uint8Array;
}

function sum16(b: Uint8Array, off: number, len: number, acc: number): number {
  for (let i = 0; i + 1 < len; i += 2) acc += (b[off + i] << 8) | b[off + i + 1];
  if (len % 2 === 1) acc += b[off + len - 1] << 8;
  return acc;
}

function fold(acc: number): number {
  while (acc > 0xffff) acc = (acc & 0xffff) + (acc >>> 16);
  return ~acc & 0xffff;
}

/** Ethernet + IPv4 + TCP frame bytes. */
function frame(src: number[], dst: number[], sport: number, dport: number, seq: number, ack: number, flags: number, payload: Uint8Array, fromClient: boolean): Uint8Array {
  const f = new Uint8Array(14 + 20 + 20 + payload.length);
  const dv = new DataView(f.buffer);
  f.set(fromClient ? SERVER_MAC : CLIENT_MAC, 0);
  f.set(fromClient ? CLIENT_MAC : SERVER_MAC, 6);
  dv.setUint16(12, 0x0800);
  const ip = 14;
  f[ip] = 0x45;
  dv.setUint16(ip + 2, 40 + payload.length);
  dv.setUint16(ip + 4, 1);
  f[ip + 8] = 64;
  f[ip + 9] = 6;
  f.set(src, ip + 12);
  f.set(dst, ip + 16);
  dv.setUint16(ip + 10, fold(sum16(f, ip, 20, 0)));
  const tcp = ip + 20;
  dv.setUint16(tcp, sport);
  dv.setUint16(tcp + 2, dport);
  dv.setUint32(tcp + 4, seq >>> 0);
  dv.setUint32(tcp + 8, ack >>> 0);
  f[tcp + 12] = 0x50;
  f[tcp + 13] = flags;
  dv.setUint16(tcp + 14, 65535);
  f.set(payload, tcp + 20);
  let acc = sum16(f, ip + 12, 8, 0) + 6 + 20 + payload.length;
  acc = sum16(f, tcp, 20 + payload.length, acc);
  dv.setUint16(tcp + 16, fold(acc));
  return f;
}

/**
 * The pcap bytes of one connection 10.0.0.1:`clientPort` → 10.0.0.2:`serverPort` carrying `segments`
 * (handshake 1 ms before the first, FIN exchange 1 ms after the last).
 */
export function buildCapture(segments: readonly Segment[], clientPort = 50000, serverPort = 1883): Uint8Array {
  const client = [10, 0, 0, 1];
  const server = [10, 0, 0, 2];
  const records: { ts: number; f: Uint8Array }[] = [];
  let cseq = 1000;
  let sseq = 5000;
  const t0 = segments.length > 0 ? segments[0].ts - 0.001 : 0;
  const add = (ts: number, fromClient: boolean, flags: number, payload: Uint8Array): void => {
    const f = fromClient
      ? frame(client, server, clientPort, serverPort, cseq, sseq, flags, payload, true)
      : frame(server, client, serverPort, clientPort, sseq, cseq, flags, payload, false);
    records.push({ ts, f });
    const adv = payload.length + (flags & 0x03 ? 1 : 0);
    if (fromClient) cseq += adv;
    else sseq += adv;
  };
  add(t0, true, 0x02, new Uint8Array(0));
  add(t0 + 0.0001, false, 0x12, new Uint8Array(0));
  add(t0 + 0.0002, true, 0x10, new Uint8Array(0));
  let last = t0;
  for (const s of segments) {
    add(s.ts, s.fromClient, 0x18, s.bytes);
    last = s.ts;
  }
  add(last + 0.001, true, 0x11, new Uint8Array(0));
  add(last + 0.0011, false, 0x11, new Uint8Array(0));
  add(last + 0.0012, true, 0x10, new Uint8Array(0));
  let size = 24;
  for (const r of records) size += 16 + r.f.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setUint32(16, 65535, true);
  dv.setUint32(20, 1, true);
  let o = 24;
  for (const r of records) {
    const sec = Math.floor(r.ts);
    dv.setUint32(o, sec, true);
    dv.setUint32(o + 4, Math.round((r.ts - sec) * 1e6), true);
    dv.setUint32(o + 8, r.f.length, true);
    dv.setUint32(o + 12, r.f.length, true);
    out.set(r.f, o + 16);
    o += 16 + r.f.length;
  }
  return out;
}
