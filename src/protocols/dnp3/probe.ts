import type { ProbeVerdict } from '../../session/analyzer.js';
import { checkLinkHeader, LINK_HEADER_BYTES, LinkHeaderStatus } from './link.js';

/** DNP3's registered port over TCP and UDP (IANA; IEEE 1815-2012 IP networking annex; Zeek DNP3::ports). */
export const DNP3_PORTS: readonly number[] = Object.freeze([20000]);

/**
 * Content check of a TCP flow's first bytes for DNP3 (IEEE 1815-2012 §9.2.4.1): `yes` when they start
 * with a link header — 0x05 0x64, LENGTH ≥ 5 and a matching header CRC (a 32-bit check, so no port is
 * needed); `maybe` while fewer than 10 octets have come and those agree with 0x05 0x64; `no` otherwise.
 * @param data first in-order bytes of one side (a view, ≥ 1 octet; not kept)
 */
export function probeDnp3Tcp(data: Uint8Array, _isOrig: boolean, _onWellKnownPort: boolean): ProbeVerdict {
  if (data[0] !== 0x05 || (data.length > 1 && data[1] !== 0x64)) return 'no';
  if (data.length < LINK_HEADER_BYTES) return 'maybe';
  return checkLinkHeader(data, 0) === LinkHeaderStatus.Ok ? 'yes' : 'no';
}

/**
 * Content check of a UDP datagram for DNP3: `yes` when it starts with a whole, valid link header
 * (start octets, LENGTH ≥ 5, header CRC), else `no`.
 * @param data one datagram (a view; not kept)
 */
export function probeDnp3Udp(data: Uint8Array, _isOrig: boolean, _onWellKnownPort: boolean): ProbeVerdict {
  if (data.length < LINK_HEADER_BYTES) return 'no';
  return checkLinkHeader(data, 0) === LinkHeaderStatus.Ok ? 'yes' : 'no';
}
