import { crcDnp } from '../../../src/protocols/dnp3/crc.js';

/**
 * Builders of DNP3 link frames for tests (IEEE 1815-2012 §9.2.4): the caller gives the fields, the builder
 * adds the start octets, LENGTH and every CRC, so a fixture states only what it means.
 */

/** CONTROL of a master's unconfirmed user data frame: DIR 1, PRM 1, function 4 (§9.2.4.1.3). */
export const MASTER_DATA = 0xc4;
/** CONTROL of an outstation's unconfirmed user data frame: DIR 0, PRM 1, function 4. */
export const OUTSTATION_DATA = 0x44;

/** One link frame carrying `user` (transport header + application octets, ≤ 250) from `src` to `dest`. */
export function linkFrame(control: number, dest: number, src: number, user: readonly number[]): Uint8Array {
  const header = [0x05, 0x64, 5 + user.length, control, dest & 0xff, dest >> 8, src & 0xff, src >> 8];
  const out: number[] = [...header, ...crcOctets(header)];
  for (let i = 0; i < user.length; i += 16) {
    const block = user.slice(i, i + 16);
    out.push(...block, ...crcOctets(block));
  }
  return Uint8Array.from(out);
}

function crcOctets(b: readonly number[]): number[] {
  const c = crcDnp(Uint8Array.from(b), 0, b.length);
  return [c & 0xff, c >> 8];
}

/** The octets of `parts` joined, copied into the middle of a larger buffer (a view with a non-zero byteOffset). */
export function noisyView(...parts: readonly Uint8Array[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const big = new Uint8Array(len + 13).fill(0xee);
  let o = 7;
  for (const p of parts) {
    big.set(p, o);
    o += p.length;
  }
  return big.subarray(7, 7 + len);
}

/** Master → outstation (1024 → 1) request fragment in one segment: transport FIR|FIN seq `seq`, then `app`. */
export function request(app: readonly number[], seq = 0): Uint8Array {
  return linkFrame(MASTER_DATA, 1, 1024, [0xc0 | seq, ...app]);
}

/** Outstation → master (1 → 1024) response fragment in one segment. */
export function response(app: readonly number[], seq = 0): Uint8Array {
  return linkFrame(OUTSTATION_DATA, 1024, 1, [0xc0 | seq, ...app]);
}
