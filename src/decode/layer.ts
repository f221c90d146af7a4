import type { DecodedPacket } from './packet.js';

/**
 * The contract every layer decoder of this folder follows.
 *
 * A layer decoder is a function `(b, off, end, out, onAnomaly) => number` over the bytes
 * `b[off, end)`: it writes the fields of its layer into `out` and returns the offset (bytes, ≥ 0,
 * relative to `b`) where the next layer starts, or one of the negative codes below. It never throws
 * on any bytes. Anomalies go to `onAnomaly` at the moment they are found, with `out` holding the
 * fields decoded so far, so a weird record can name the hosts.
 */
export type AnomalyCallback = (name: string, pkt: DecodedPacket, addl?: string) => void;

/** Layer result code: the header is damaged or cut short; an anomaly has been reported. */
export const MALFORMED = -1;

/** Layer result code: a link type, EtherType or header variant this project does not decode (no anomaly). */
export const UNSUPPORTED = -2;
