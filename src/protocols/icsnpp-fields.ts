import type { LogValue } from '../events/record.js';
import type { FieldSpec, StreamSchema } from '../events/schema.js';
import type { FlowContext } from '../session/analyzer.js';

/**
 * The leading columns of ICSNPP's per-message logs (S7comm, EtherNet/IP, BACnet …): Zeek's
 * connection id, then the message's direction and its true sender and receiver (ICSNPP `is_orig`,
 * `source_h`/`source_p`, `destination_h`/`destination_p`), which differ from the connection's
 * originator and responder whenever the responder sent the message.
 */
export const ICSNPP_SIDE_FIELDS: readonly FieldSpec[] = [
  { name: 'ts', type: 'time', doc: 'Time of the packet that completed the message (seconds since the epoch).' },
  { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
  { name: 'id.orig_h', type: 'addr', doc: 'Originator address (the side that opened the connection, or sent the first datagram).' },
  { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
  { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
  { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
  { name: 'is_orig', type: 'bool', doc: 'T when the originator sent the message.' },
  { name: 'source_h', type: 'addr', doc: 'Address that sent the message (ICSNPP source_h).' },
  { name: 'source_p', type: 'port', doc: 'Port that sent the message.' },
  { name: 'destination_h', type: 'addr', doc: 'Address the message went to.' },
  { name: 'destination_p', type: 'port', doc: 'Port the message went to.' },
];

/** Per-flow constants every record repeats, taken once from the FlowContext when an analyzer attaches. */
export interface FlowIds {
  readonly uid: string;
  readonly origH: string;
  readonly origP: number;
  readonly respH: string;
  readonly respP: number;
}

/** The FlowIds of an analyzer's flow. */
export function flowIdsOf(ctx: FlowContext): FlowIds {
  const id = ctx.id;
  return { uid: ctx.uid, origH: id.orig_h, origP: id.orig_p, respH: id.resp_h, respP: id.resp_p };
}

/** Makes one stream's records: every column present from the start (see `icsnppRecordFactory`). */
export type IcsnppRecordFactory = (f: FlowIds, ts: number, isOrig: boolean) => Record<string, LogValue>;

/**
 * Compiles a record maker `(params…) => record`: `prelude` (code run first) must define the locals
 * `ts`, `uid`, `oh`, `op`, `rh`, `rp` (the flow's originator and responder address and port) and `o`
 * (true when the originator sent the message); the maker returns one object literal with the
 * ICSNPP_SIDE_FIELDS values, then each `own` column with its value expression, in that order. A
 * generated literal, so the engine allocates every column inside the object and later assignments
 * never grow it (a record built with the side fields only, plus a dozen assignments, costs about
 * twice the bytes; one grown by Object.assign or an object spread, several times the time).
 */
export function compileSideRecord(params: readonly string[], prelude: string, own: readonly { name: string; value: string }[]): (...args: never[]) => Record<string, LogValue> {
  const body = `${prelude}
  return {
    ts,
    uid,
    'id.orig_h': oh,
    'id.orig_p': op,
    'id.resp_h': rh,
    'id.resp_p': rp,
    is_orig: o,
    source_h: o ? oh : rh,
    source_p: o ? op : rp,
    destination_h: o ? rh : oh,
    destination_p: o ? rp : op,${own.map((c) => `\n    ${JSON.stringify(c.name)}: ${c.value},`).join('')}
  };`;
  return new Function(...params, body) as (...args: never[]) => Record<string, LogValue>;
}

/**
 * The columns of `schema` after the ICSNPP_SIDE_FIELDS it starts with.
 * Errors: throws (a programming error, at module load) when the schema does not start with them.
 */
export function ownColumns(schema: StreamSchema): string[] {
  const names = schema.fields.map((f) => f.name);
  ICSNPP_SIDE_FIELDS.forEach((side, i) => {
    if (names[i] !== side.name) throw new Error(`stream ${schema.name}: column ${i} is ${names[i]}, not ${side.name}`);
  });
  return names.slice(ICSNPP_SIDE_FIELDS.length);
}

/** A maker of records whose own columns start null, over the FlowIds of an analyzer. */
function compileRecord(own: readonly string[]): IcsnppRecordFactory {
  return compileSideRecord(
    ['f', 'ts', 'isOrig'],
    'const uid = f.uid, oh = f.origH, op = f.origP, rh = f.respH, rp = f.respP, o = isOrig;',
    own.map((name) => ({ name, value: 'null' })),
  ) as IcsnppRecordFactory;
}

/**
 * A new record holding the ICSNPP_SIDE_FIELDS columns, in schema order; the caller adds its stream's
 * columns after them (for hot streams, `icsnppRecordFactory` makes records with every column).
 * @param ts seconds since the epoch
 * @param isOrig true when the originator sent the message
 */
export const sideFields: IcsnppRecordFactory = compileRecord([]);

/**
 * A factory of `schema`'s records for hot streams: each call returns one object literal holding the
 * ICSNPP_SIDE_FIELDS values (as `sideFields`) and every other column of the schema set to null, in
 * schema order, for the caller to fill (see compileRecord). Built once per stream from the schema's
 * field names. Null columns are unset fields to every sink (Zeek JSON omits them).
 * Errors: throws at module load (a programming error) when the schema does not start with the
 * ICSNPP_SIDE_FIELDS columns.
 */
export function icsnppRecordFactory(schema: StreamSchema): IcsnppRecordFactory {
  return compileRecord(ownColumns(schema));
}
