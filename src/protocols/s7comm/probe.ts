import type { ProbeVerdict } from '../../session/analyzer.js';
import { COTP_CC, COTP_CR, COTP_DT, S7COMM_ID, S7COMM_PLUS_ID, TPKT_HEADER_BYTES, tpktLength } from './grammar.js';

/**
 * Is [off, end) the variable part of a CR / CC TPDU made of TPDU-size (0xc0) and TSAP (0xc1 calling,
 * 0xc2 called) parameters only, with at least one TSAP (ISO 8073 §13.3.4)? S7 connections always name
 * their TSAPs (rack / slot); RDP's X.224 request (a cookie or negotiation request) and other users of
 * TPKT without TSAPs do not pass.
 */
function tsapParameters(b: Uint8Array, off: number, end: number): boolean {
  let tsap = false;
  while (off < end) {
    if (off + 2 > end) return false;
    const code = b[off];
    const len = b[off + 1];
    if (code !== 0xc0 && code !== 0xc1 && code !== 0xc2) return false;
    if (code !== 0xc0) tsap = true;
    off += 2 + len;
  }
  return off === end && tsap;
}

/**
 * Content check of a flow's first payload bytes for ISO-on-TCP carrying S7comm (RFC 1006 §6 TPKT,
 * ISO 8073 §13 COTP): a TPKT header (version 3, reserved 0, length ≥ 7) whose COTP length indicator fits
 * the packet, and either a CR / CC TPDU naming TSAPs (connection setup; S7 connections open with one) or a DT TPDU
 * whose data starts with the S7comm (0x32) or S7comm-plus (0x72) protocol id. The TPKT length must end
 * where the bytes end or be followed by another TPKT header; fewer bytes answer `maybe`. Port 102 is not
 * required: the check is strict enough without it.
 * @param data first payload bytes of one side (a view, ≥ 1 byte; not kept)
 */
export function probeS7comm(data: Uint8Array, _isOrig: boolean, _onWellKnownPort: boolean): ProbeVerdict {
  const end = data.length;
  const len = tpktLength(data, 0, end);
  if (len < 0) return 'no';
  if (len === 0) return data[0] === 3 && (end < 2 || data[1] === 0) ? 'maybe' : 'no';
  if (end < TPKT_HEADER_BYTES + 2) return 'maybe';
  const li = data[4];
  const code = data[5] >> 4;
  if (li === 0 || li === 255 || li + 5 > len) return 'no';
  if (code === COTP_DT) {
    if (li !== 2) return 'no';
    const at = 5 + li;
    if (at >= len) return 'no';
    if (at >= end) return 'maybe';
    if (data[at] !== S7COMM_ID && data[at] !== S7COMM_PLUS_ID) return 'no';
  } else if (code !== COTP_CR && code !== COTP_CC) {
    return 'no';
  } else if (li < 6 || 5 + li > end) {
    return li < 6 ? 'no' : 'maybe';
  } else if (!tsapParameters(data, 11, 5 + li)) {
    return 'no';
  }
  if (len === end) return 'yes';
  if (len > end) return 'maybe';
  if (data[len] !== 3 || (len + 1 < end && data[len + 1] !== 0)) return 'no';
  const next = tpktLength(data, len, end);
  if (next < 0) return 'no';
  return next === 0 ? 'maybe' : 'yes';
}
