import type { LogValue } from '../../events/record.js';
import type { UaMessage } from './message.js';
import type { UaFlowIds } from './transactions.js';

/**
 * The columns every OPC UA record starts with — ICSNPP's (protocols/icsnpp-fields.ts
 * ICSNPP_SIDE_FIELDS): time of the message `m`, the flow's uid and 5-tuple, whether the originator
 * sent it, and its source and destination. A new object per call, for the caller to add the
 * record's own columns to (see `uaRecord`).
 */
export function uaSideColumns(flow: UaFlowIds, m: UaMessage): Record<string, LogValue> {
  const id = flow.id;
  return {
    ts: m.ts,
    uid: flow.uid,
    'id.orig_h': id.orig_h,
    'id.orig_p': id.orig_p,
    'id.resp_h': id.resp_h,
    'id.resp_p': id.resp_p,
    is_orig: m.isOrig,
    source_h: m.isOrig ? id.orig_h : id.resp_h,
    source_p: m.isOrig ? id.orig_p : id.resp_p,
    destination_h: m.isOrig ? id.resp_h : id.orig_h,
    destination_p: m.isOrig ? id.resp_p : id.orig_p,
  };
}

/**
 * A record of `uaSideColumns(flow, m)` followed by `columns`, in that order (schema order when
 * `columns` lists the stream's own fields in order). Built with Object.assign onto the side
 * columns: an object spread of a function's result makes records that V8 keeps in a slow
 * (dictionary) layout, which cost the mixed-protocol benchmark about a third of its throughput.
 */
export function uaRecord(flow: UaFlowIds, m: UaMessage, columns: Record<string, LogValue>): Record<string, LogValue> {
  return Object.assign(uaSideColumns(flow, m), columns);
}
