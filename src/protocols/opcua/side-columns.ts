import type { LogValue } from '../../events/record.js';
import type { UaMessage } from './message.js';
import type { UaFlowIds } from './transactions.js';

/**
 * The columns every OPC UA record starts with — ICSNPP's (protocols/icsnpp-fields.ts
 * ICSNPP_SIDE_FIELDS): time of the message `m`, the flow's uid and 5-tuple, whether the originator
 * sent it, and its source and destination. A new object per call; the caller spreads it first into
 * the record's literal.
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
