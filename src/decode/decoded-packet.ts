import type { RawPacket } from '../capture/packet.js';
import type { DecodedPacket } from './packet.js';

/** The shared empty byte view used for every unset `payload` (length 0, so nothing can be written into it). */
export const EMPTY_BYTES: Uint8Array = new Uint8Array(0);

/** The RawPacket an unused DecodedPacket points at: no bytes, frame 0, timestamp 0 s. */
const NO_RAW: RawPacket = Object.freeze({ ts: 0, linkType: -1, data: EMPTY_BYTES, origLen: 0, source: -1, frame: 0 });

/**
 * A DecodedPacket with every field unset (numbers -1, strings '', `ipVersion` 0, `payload` empty,
 * `arp` null, `raw` an empty frame). The field order is fixed here so every packet shares one
 * object shape. Allocate one and reuse it for every frame (`Decoder.decode` resets it).
 */
export function newDecodedPacket(): DecodedPacket {
  return {
    ts: 0,
    raw: NO_RAW,
    srcMac: -1,
    dstMac: -1,
    vlan: -1,
    innerVlan: -1,
    etherType: -1,
    ipVersion: 0,
    src: '',
    dst: '',
    src4: -1,
    dst4: -1,
    ipProto: -1,
    ipLen: -1,
    ttl: -1,
    srcPort: -1,
    dstPort: -1,
    tcpFlags: -1,
    seq: -1,
    ack: -1,
    window: -1,
    icmpType: -1,
    icmpCode: -1,
    payload: EMPTY_BYTES,
    payloadLen: -1,
    arp: null,
  };
}

/**
 * Unsets every field of `out` (as `newDecodedPacket` does) and points it at `raw`, taking `ts` from it.
 * No allocation.
 */
export function resetDecodedPacket(out: DecodedPacket, raw: RawPacket): void {
  out.ts = raw.ts;
  out.raw = raw;
  out.srcMac = -1;
  out.dstMac = -1;
  out.vlan = -1;
  out.innerVlan = -1;
  out.etherType = -1;
  out.ipVersion = 0;
  out.src = '';
  out.dst = '';
  out.src4 = -1;
  out.dst4 = -1;
  out.ipProto = -1;
  out.ipLen = -1;
  out.ttl = -1;
  out.srcPort = -1;
  out.dstPort = -1;
  out.tcpFlags = -1;
  out.seq = -1;
  out.ack = -1;
  out.window = -1;
  out.icmpType = -1;
  out.icmpCode = -1;
  out.payload = EMPTY_BYTES;
  out.payloadLen = -1;
  out.arp = null;
}
