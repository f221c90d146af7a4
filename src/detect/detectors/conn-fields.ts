import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import { TCP_ANSWERED_STATES } from '../../session/conn-state.js';

/** The conn.log fields the flow detectors read (Zeek names). */
export interface ConnView {
  readonly ts: number;
  readonly uid: string;
  readonly orig: string;
  readonly resp: string;
  readonly respPort: number;
  readonly proto: string;
  readonly state: string;
  /** Bytes the originator sent (payload), 0 when unknown. */
  readonly origBytes: number;
  readonly respBytes: number;
}


/** Reads a conn record. */
export function connView(r: LogRecord): ConnView {
  return {
    ts: fieldNumber(r, 'ts'),
    uid: fieldString(r, 'uid'),
    orig: fieldString(r, 'id.orig_h'),
    resp: fieldString(r, 'id.resp_h'),
    respPort: fieldNumber(r, 'id.resp_p', -1),
    proto: fieldString(r, 'proto'),
    state: fieldString(r, 'conn_state'),
    origBytes: fieldNumber(r, 'orig_bytes'),
    respBytes: fieldNumber(r, 'resp_bytes'),
  };
}

/** True when the flow got an answer: a completed TCP handshake, or UDP bytes back. */
export function answered(c: ConnView): boolean {
  return c.proto === 'tcp' ? TCP_ANSWERED_STATES.has(c.state) : c.respBytes > 0;
}

/** IEC 62443 zone kinds of the crane OT network (DESIGN.md: crane control and crane supervisory). */
export const OT_ZONE_KINDS: ReadonlySet<string> = new Set(['crane_control', 'crane_supervisory']);
