import { readFileSync } from 'node:fs';
import type { LogValue } from '../../src/events/record.js';

/**
 * Reader of Zeek's TSV log format (Zeek's src/logging/writers/ascii/Ascii.cc output, as btest
 * baselines keep it): `#separator` (written `\x09`), `#set_separator`, `#empty_field`,
 * `#unset_field`, `#path`, `#fields`, `#types`, `#open` / `#close` lines, then one tab-separated
 * row per record. A cell is the unset marker (`-` → null), the empty marker (`(empty)` → [] for
 * set/vector columns, '' for others), a set/vector split at the set separator, or text kept as
 * written (Zeek's `\xNN` escapes are left as they are, the form the analyzers log too).
 * Logs cut by `zeek-cut -n …` have no header: pass their column names in `fields`.
 */

/** One cell: text, a set/vector of texts, or null when unset. */
export type ZeekCell = string | readonly string[] | null;

/** One row, keyed by field name. */
export type ZeekRow = Readonly<Record<string, ZeekCell>>;

export interface ZeekLog {
  path: string | null;
  fields: string[];
  /** Zeek types per field ('' when the log has no #types line). */
  types: string[];
  rows: ZeekRow[];
}

export interface ZeekLogOptions {
  /** Column names for a log without a #fields line. */
  fields?: readonly string[];
  /** Column types for a log without a #types line (else container columns are not split). */
  types?: readonly string[];
}

function unescapeDirective(v: string): string {
  return v.replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

function isContainer(type: string): boolean {
  return type.startsWith('set[') || type.startsWith('vector[');
}

/** Parse Zeek TSV text. Throws on a row whose cell count differs from the field count. */
export function parseZeekLog(text: string, opts: ZeekLogOptions = {}): ZeekLog {
  let separator = '\t';
  let setSeparator = ',';
  let emptyField = '(empty)';
  let unsetField = '-';
  let path: string | null = null;
  let fields: string[] = opts.fields ? [...opts.fields] : [];
  let types: string[] = opts.types ? [...opts.types] : [];
  const rows: ZeekRow[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#separator ')) {
        separator = unescapeDirective(line.slice('#separator '.length));
        continue;
      }
      const parts = line.split(separator);
      const key = parts[0];
      const rest = parts.slice(1);
      if (key === '#set_separator') setSeparator = unescapeDirective(rest[0]);
      else if (key === '#empty_field') emptyField = rest[0];
      else if (key === '#unset_field') unsetField = rest[0];
      else if (key === '#path') path = rest[0];
      else if (key === '#fields') fields = rest;
      else if (key === '#types') types = rest;
      continue;
    }
    const cells = line.split(separator);
    if (cells.length !== fields.length) {
      throw new Error(`row has ${cells.length} cells, ${fields.length} fields expected: ${line}`);
    }
    const row: Record<string, ZeekCell> = {};
    for (let i = 0; i < fields.length; i++) {
      const c = cells[i];
      const container = isContainer(types[i] ?? '');
      if (c === unsetField) row[fields[i]] = null;
      else if (c === emptyField) row[fields[i]] = container ? [] : '';
      else row[fields[i]] = container ? c.split(setSeparator) : c;
    }
    rows.push(row);
  }
  return { path, fields, types, rows };
}

/** Read and parse a Zeek TSV log file. */
export function readZeekLog(file: string, opts: ZeekLogOptions = {}): ZeekLog {
  return parseZeekLog(readFileSync(file, 'utf8'), opts);
}

/**
 * A record value as the same TSV cell would read back: null stays null (unset), booleans become
 * `T` / `F`, numbers their decimal text (Zeek writes count/port/int that way), arrays their element
 * texts, strings unchanged ('' for an empty string).
 */
export function toZeekCell(v: LogValue): ZeekCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean') return v ? 'T' : 'F';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v;
  return v.map((x) => (typeof x === 'boolean' ? (x ? 'T' : 'F') : String(x)));
}

/** Text of a cell for comparisons and messages (`-` for unset, set elements joined by `,`). */
export function cellText(c: ZeekCell): string {
  if (c === null) return '-';
  if (typeof c === 'string') return c;
  return c.length === 0 ? '(empty)' : c.join(',');
}
