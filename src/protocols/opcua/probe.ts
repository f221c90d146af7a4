import type { ProbeVerdict } from '../../session/analyzer.js';
import { CHUNK_HEADER_BYTES, MsgType, chunkHeaderSize } from './grammar.js';
import { MAX_CHUNK_SIZE } from './analyzer.js';

/** Well-known OPC UA binary server ports (IANA 4840 opc-ua-tcp, 4843 opc-ua-tls), as ICSNPP registers them. */
export const OPCUA_PORTS: readonly number[] = Object.freeze([4840, 4843]);

/** Exact size of an ACK (OPC 10000-6 §7.1.2.4: header + five UInt32). */
const ACK_BYTES = 28;
/** Largest HEL: header, five UInt32, EndpointUrl of at most 4096 bytes (§7.1.2.3). */
const MAX_HEL_BYTES = 32 + 4096;

/**
 * Content check of a TCP flow's first bytes for OPC UA binary (OPC 10000-6 §7.1.2.2), on any port:
 * `yes` when they start with a chunk header — HEL/ACK/ERR/RHE with chunk type F, or OPN/MSG/CLO with
 * F/C/A — whose MessageSize is sane for its type (ACK exactly 28, HEL at most 4128, others ≤ 16 MiB);
 * `maybe` while fewer than 8 bytes came and they are a prefix of such a header; `no` otherwise.
 * A capture that starts mid-chunk is picked up at a later segment that starts with a header.
 * @param data first in-order bytes of one side (a view; not kept)
 */
export function probeOpcua(data: Uint8Array, _isOrig: boolean, _onWellKnownPort: boolean): ProbeVerdict {
  if (data.length < CHUNK_HEADER_BYTES) return prefixOfHeader(data) ? 'maybe' : 'no';
  const size = chunkHeaderSize(data, 0, MAX_CHUNK_SIZE);
  if (size < 0) return 'no';
  const code = data[0] | (data[1] << 8) | (data[2] << 16);
  if (code === MsgType.ACK && size !== ACK_BYTES) return 'no';
  if (code === MsgType.HEL && (size < 32 || size > MAX_HEL_BYTES)) return 'no';
  return 'yes';
}

const TYPES = ['HEL', 'ACK', 'ERR', 'RHE', 'OPN', 'MSG', 'CLO'];

/** Are the (fewer than 8) bytes a prefix of a plausible header's type and chunk letters? */
function prefixOfHeader(d: Uint8Array): boolean {
  const n = Math.min(d.length, 4);
  for (const t of TYPES) {
    let ok = true;
    for (let i = 0; i < n && ok; i++) ok = i < 3 ? d[i] === t.charCodeAt(i) : d[i] === 0x46 || d[i] === 0x43 || d[i] === 0x41;
    if (ok) return true;
  }
  return false;
}
