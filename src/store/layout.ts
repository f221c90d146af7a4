import { CwError } from '../errors.js';
import type { LogValue } from '../events/record.js';
import type { StreamSchema, ZeekType } from '../events/schema.js';

/**
 * How a Zeek-typed field lives in a SQL column, whatever the database:
 * - `real`: time, interval, double (seconds as float);
 * - `integer`: count, int, port;
 * - `bool`: bool, stored as integer 1 / 0;
 * - `text`: string, addr, enum;
 * - `json`: vector[…] and set[…], stored as JSON array text.
 */
export type ColumnKind = 'real' | 'integer' | 'bool' | 'text' | 'json';

/** One column of a stream table: the Zeek field, its SQL column name ('.' → '_') and storage kind. */
export interface ColumnSpec {
  /** Zeek field name, e.g. `id.orig_h`. */
  readonly field: string;
  /** SQL column name, e.g. `id_orig_h`. */
  readonly column: string;
  readonly type: ZeekType;
  readonly kind: ColumnKind;
}

/** The table of one stream: columns in schema order, key columns, and a signature to detect layout changes. */
export interface TableLayout {
  /** Table name = stream name. */
  readonly table: string;
  readonly columns: readonly ColumnSpec[];
  /** Column index by Zeek field name. */
  readonly byField: ReadonlyMap<string, number>;
  /** Column names of the natural key (empty when the schema has none). */
  readonly keyColumns: readonly string[];
  /** JSON text `{"fields":[[name,type],…],"key":[…]}`: stored in `meta` as `stream.<name>`; `parseSignature` reads it back. */
  readonly signature: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const RESERVED_TABLES = new Set(['meta']);

/** Maps a Zeek log type to its column kind (see ColumnKind). */
export function columnKind(type: ZeekType): ColumnKind {
  switch (type) {
    case 'time':
    case 'interval':
    case 'double':
      return 'real';
    case 'count':
    case 'int':
    case 'port':
      return 'integer';
    case 'bool':
      return 'bool';
    case 'string':
    case 'addr':
    case 'enum':
      return 'text';
    case 'vector[count]':
    case 'vector[string]':
    case 'set[string]':
      return 'json';
  }
}

/**
 * Lays out a stream's table from its schema. Throws `CwError('CW_ERR_CONFIG')` when the stream
 * or a field cannot be a SQL identifier (letters, digits, '_' after '.' → '_'), when two fields
 * map to one column, when the stream name is reserved (`meta`, `sqlite_*`) or when a key field
 * is not a field of the stream.
 */
export function tableLayout(schema: StreamSchema): TableLayout {
  const name = schema.name;
  if (!IDENT.test(name) || RESERVED_TABLES.has(name) || name.toLowerCase().startsWith('sqlite_')) {
    throw new CwError('CW_ERR_CONFIG', `stream name "${name}" cannot be a table name`);
  }
  const columns: ColumnSpec[] = [];
  const byField = new Map<string, number>();
  const seen = new Set<string>();
  for (const f of schema.fields) {
    const column = f.name.replaceAll('.', '_');
    if (!IDENT.test(column)) throw new CwError('CW_ERR_CONFIG', `field "${f.name}" of stream ${name} cannot be a column name`);
    const lower = column.toLowerCase();
    if (seen.has(lower)) throw new CwError('CW_ERR_CONFIG', `fields of stream ${name} collide on column ${column}`);
    seen.add(lower);
    byField.set(f.name, columns.length);
    columns.push({ field: f.name, column, type: f.type, kind: columnKind(f.type) });
  }
  const keyColumns = (schema.key ?? []).map((k) => {
    const i = byField.get(k);
    if (i === undefined) throw new CwError('CW_ERR_CONFIG', `key field "${k}" is not a field of stream ${name}`);
    return columns[i].column;
  });
  const signature = JSON.stringify({ fields: schema.fields.map((f) => [f.name, f.type]), key: schema.key ?? [] });
  return { table: name, columns, byField, keyColumns, signature };
}

/**
 * Rebuilds a schema from a stored layout signature (so a database can be read by a process that
 * did not register the stream). Returns undefined when the text is not a signature.
 */
export function parseSignature(stream: string, signature: string): StreamSchema | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(signature);
  } catch {
    return undefined;
  }
  const p = parsed as { fields?: unknown; key?: unknown };
  if (!Array.isArray(p.fields) || !Array.isArray(p.key)) return undefined;
  const fields = p.fields.map((f: unknown) => {
    const [fname, type] = f as [string, ZeekType];
    return { name: String(fname), type, doc: '' };
  });
  return { name: stream, fields, key: p.key.map(String), doc: '' };
}

/**
 * A log value as a SQL parameter: unset → NULL, booleans → 1 / 0, arrays → JSON text, numbers and
 * strings as they are.
 */
export function toColumnValue(v: LogValue): number | string | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

/** A SQL column value back as a log value for its kind: NULL → null, bool → boolean, json → array. */
export function fromColumnValue(kind: ColumnKind, v: unknown): LogValue {
  if (v === null || v === undefined) return null;
  if (kind === 'bool') return v === 1 || v === '1';
  if (kind === 'json' && typeof v === 'string') return JSON.parse(v) as (string | number | boolean)[];
  return v as number | string;
}
