import type { ProbeVerdict } from '../../session/analyzer.js';
import { ENCAP_HEADER_BYTES, newCpfList, newIoDatagram, parseCpf, parseIoDatagram, u16 } from './grammar.js';
import { plausibleHeader } from './framing.js';
import { knownCommand } from './names.js';

/** Registered EtherNet/IP encapsulation port, TCP and UDP (CIP Vol 2 §2-2). */
export const ENIP_PORTS: readonly number[] = Object.freeze([44818]);
/** Registered class 0/1 I/O port, UDP (CIP Vol 2 §3-2.2). */
export const CIP_IO_PORTS: readonly number[] = Object.freeze([2222]);

const REGISTER_SESSION = 0x65;
const SEND_RR_DATA = 0x6f;
const SEND_UNIT_DATA = 0x70;

/** Scratch objects of the probes (a probe call never re-enters itself). */
const cpf = newCpfList();
const io = newIoDatagram();

/**
 * The first message's body fits its command (CIP Vol 2 §2-4): RegisterSession carries 4 bytes,
 * SendRRData / SendUnitData an interface handle, a timeout and a CPF list filling the message.
 */
function bodyFits(data: Uint8Array, total: number): boolean {
  const command = u16(data, 0);
  const len = total - ENCAP_HEADER_BYTES;
  if (command === REGISTER_SESSION) return len === 4;
  if (command === SEND_RR_DATA || command === SEND_UNIT_DATA) {
    if (len < 8 || parseCpf(data, ENCAP_HEADER_BYTES + 6, total, cpf) !== null) return false;
    const last = cpf.count === 0 ? null : cpf.items[cpf.count - 1];
    return last !== null && last.off + last.len === total;
  }
  return true;
}

/**
 * Content probe of a TCP flow's first payload: a plausible encapsulation header (framing.ts) with a
 * command other than NOP. On port 44818 that suffices (legacy-reserved commands such as 0x0001
 * included); elsewhere the command must be a defined one, the whole first message must be
 * there, its body must fit its command (`bodyFits`) and any bytes after it must start another
 * plausible header. Fewer than 24 bytes starting with a defined command: 'maybe'.
 */
export function probeEnipTcp(data: Uint8Array, _isOrig: boolean, onWellKnownPort: boolean): ProbeVerdict {
  const n = data.length;
  if (n < 2) return 'maybe';
  const command = u16(data, 0);
  if (command === 0 || command > 0xff || (!onWellKnownPort && !knownCommand(command))) return 'no';
  if (n < ENCAP_HEADER_BYTES) return 'maybe';
  if (!plausibleHeader(data, 0)) return 'no';
  if (onWellKnownPort) return 'yes';
  const total = ENCAP_HEADER_BYTES + u16(data, 2);
  if (n < total) return 'maybe';
  if (!bodyFits(data, total)) return 'no';
  if (n === total) return 'yes';
  if (n - total < ENCAP_HEADER_BYTES) return 'no';
  return plausibleHeader(data, total) ? 'yes' : 'no';
}

/**
 * Content probe of a UDP encapsulation datagram (port 44818: ListIdentity and friends): a plausible
 * header whose message fits the datagram; off the port it must fill the datagram exactly and fit its command.
 */
export function probeEnipUdp(data: Uint8Array, _isOrig: boolean, onWellKnownPort: boolean): ProbeVerdict {
  if (data.length < ENCAP_HEADER_BYTES || !knownCommand(u16(data, 0)) || u16(data, 0) === 0 || !plausibleHeader(data, 0)) return 'no';
  const total = ENCAP_HEADER_BYTES + u16(data, 2);
  if (total > data.length) return 'no';
  if (onWellKnownPort) return 'yes';
  return total === data.length && bodyFits(data, total) ? 'yes' : 'no';
}

/**
 * Content probe of a class 0/1 I/O datagram (port 2222): CPF count 2, a sequenced address item of
 * 8 bytes and a connected data item that ends exactly at the datagram's end (grammar.ts parseIoDatagram).
 */
export function probeCipIo(data: Uint8Array, _isOrig: boolean, _onWellKnownPort: boolean): ProbeVerdict {
  if (!parseIoDatagram(data, 0, data.length, io)) return 'no';
  return io.dataOff + io.dataLen === data.length ? 'yes' : 'no';
}
