import type { LogValue } from '../../events/record.js';
import type { StreamSchema } from '../../events/schema.js';
import { compileSideRecord, ownColumns } from '../icsnpp-fields.js';
import type { UaMessage } from './message.js';
import type { UaFlowIds } from './transactions.js';

/** Makes one stream's records from its own columns (see `uaRow`). */
export type UaRowMaker = (flow: UaFlowIds, m: UaMessage, columns: Readonly<Record<string, LogValue>>) => Record<string, LogValue>;

const makers = new Map<StreamSchema, UaRowMaker>();

/**
 * The record maker of `schema`'s stream, compiled once per stream. Each call returns one object
 * literal: first the ICSNPP side columns of message `m` on `flow` (its time, the flow's uid and
 * 5-tuple, whether the originator sent it, its source and destination), then every other column of
 * the schema in schema order, taken from `columns` (absent or undefined → null, an unset field to
 * every sink). One literal of fixed shape is what V8 builds fastest: a record grown by Object.assign
 * or an object spread of the side columns cost the mixed-protocol benchmark up to a third of its
 * throughput. Columns of `columns` that the schema does not have are not written.
 * Errors: throws (a programming error) when the schema does not start with ICSNPP_SIDE_FIELDS.
 */
export function uaRow(schema: StreamSchema): UaRowMaker {
  let make = makers.get(schema);
  if (make === undefined) {
    make = compileSideRecord(
      ['flow', 'm', 'c'],
      'const id = flow.id, ts = m.ts, uid = flow.uid, oh = id.orig_h, op = id.orig_p, rh = id.resp_h, rp = id.resp_p, o = m.isOrig;',
      ownColumns(schema).map((n) => ({ name: n, value: `c[${JSON.stringify(n)}] ?? null` })),
    ) as UaRowMaker;
    makers.set(schema, make);
  }
  return make;
}
