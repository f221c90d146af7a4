/**
 * Plain aligned text tables for terminal reports: columns separated by two spaces, numbers
 * right-aligned, no box drawing, no dependency. Widths count UTF-16 code units (the reports
 * print ASCII, addresses and vendor names).
 */

/** One column: its header, alignment, and whether it may be cut to fit (keeping its start or its end). */
export interface TableColumn {
  readonly header: string;
  readonly align: 'left' | 'right';
  /** `end`: cut the end (names); `start`: cut the start (paths keep their file name). Absent: never cut (addresses, numbers). */
  readonly shrink?: 'end' | 'start';
}

/** Narrowest a shrunk column becomes before the table is allowed to overflow the width. */
const MIN_COLUMN = 8;
const GAP = '  ';

/** Shortens text to `width` characters, marking the cut with '…' (at the end, or at the start when `from` is 'start'). */
export function truncate(text: string, width: number, from: 'end' | 'start' = 'end'): string {
  if (text.length <= width) return text;
  if (width <= 1) return text.slice(0, width);
  return from === 'start' ? `…${text.slice(text.length - width + 1)}` : `${text.slice(0, width - 1)}…`;
}

/**
 * Lays out a table as lines (no trailing newline), each prefixed by `indent` spaces. When wider
 * than `width`, the widest column that may shrink is cut (cells marked with '…') down to 8
 * characters; past that the table overflows. `headerStyle` decorates the header line after layout (e.g. ANSI bold).
 */
export function renderTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly string[])[],
  width: number,
  indent = 2,
  headerStyle: (line: string) => string = (s) => s,
): string[] {
  const widths = columns.map((c, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), c.header.length));
  const total = (): number => indent + widths.reduce((s, w) => s + w, 0) + GAP.length * (columns.length - 1);
  const excess = total() - width;
  if (excess > 0) {
    let widest = -1;
    for (let i = 0; i < columns.length; i++) {
      if (columns[i].shrink !== undefined && (widest < 0 || widths[i] > widths[widest])) widest = i;
    }
    if (widest >= 0) widths[widest] = Math.max(MIN_COLUMN, widths[widest] - excess);
  }
  const pad = ' '.repeat(indent);
  const line = (cells: readonly string[]): string =>
    pad +
    columns
      .map((c, i) => {
        const cell = truncate(cells[i] ?? '', widths[i], c.shrink);
        return c.align === 'right' ? cell.padStart(widths[i]) : i === columns.length - 1 ? cell : cell.padEnd(widths[i]);
      })
      .join(GAP);
  return [headerStyle(line(columns.map((c) => c.header))), ...rows.map(line)];
}
