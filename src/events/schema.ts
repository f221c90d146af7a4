/**
 * Log stream schemas: the ordered fields and Zeek types of each stream, declared once by the stage
 * that owns the stream (session/conn-log.ts, protocols/<p>/log.ts, …) and read by every writer
 * (JSON lines, SQLite, Zeek TSV). Field names and types follow Zeek / ICSNPP (`#fields`, `#types`).
 */

/** Zeek log types used by this project. */
export type ZeekType =
  | 'time' // seconds since the epoch, float
  | 'interval' // seconds, float
  | 'string'
  | 'addr'
  | 'port'
  | 'count' // unsigned integer
  | 'int'
  | 'double'
  | 'bool'
  | 'enum'
  | 'vector[count]'
  | 'vector[string]'
  | 'set[string]';

export interface FieldSpec {
  /** Zeek field name, dotted where Zeek's is (`id.orig_h`). */
  readonly name: string;
  readonly type: ZeekType;
  /** One line for the data dictionary (units, meaning, the spec or peer field it mirrors). */
  readonly doc: string;
}

export interface StreamSchema {
  /** Stream (log path) name, e.g. `conn`, `modbus_detailed`. */
  readonly name: string;
  readonly fields: readonly FieldSpec[];
  /** Fields that identify one record for idempotent inserts (natural key), e.g. ['uid'] for conn. */
  readonly key?: readonly string[];
  readonly doc: string;
}

const registry = new Map<string, StreamSchema>();

/**
 * Register a stream's schema (at module load of the owning stage). Registering the same name
 * twice with a different field list throws: two stages may not define one stream differently.
 */
export function defineStream(schema: StreamSchema): StreamSchema {
  const prev = registry.get(schema.name);
  if (prev && prev !== schema) {
    const a = prev.fields.map((f) => `${f.name}:${f.type}`).join(',');
    const b = schema.fields.map((f) => `${f.name}:${f.type}`).join(',');
    if (a !== b) throw new Error(`stream ${schema.name} defined twice with different fields`);
  }
  registry.set(schema.name, schema);
  return schema;
}

/** The schema of a stream, or undefined when no stage registered it. */
export function streamSchema(name: string): StreamSchema | undefined {
  return registry.get(name);
}

/** All registered schemas, sorted by name (deterministic output). */
export function allStreamSchemas(): StreamSchema[] {
  return [...registry.values()].sort((a, b) => a.name.localeCompare(b.name));
}
