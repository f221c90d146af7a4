import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { CwError } from '../errors.js';
import { renderHtmlReport } from '../report/html-report.js';
import { collectReport } from '../report/report-data.js';
import { SqliteConsoleQueries } from '../server/queries/sqlite-queries.js';
import { checkStoreFile } from '../server/store-file.js';
import { ExitCode } from './exit-codes.js';

/** Options of `cranewatch report`. */
export interface ReportCommandOptions {
  /** The store written by `analyze --db`. */
  db: string;
  /** The report file: `.html` / `.htm` for HTML, `.pdf` for PDF. */
  out: string;
}

/** The report format `out`'s extension asks for. Errors: CwError CW_ERR_USAGE for any other extension. */
export function reportFormat(out: string): 'html' | 'pdf' {
  const ext = extname(out).toLowerCase();
  if (ext === '.html' || ext === '.htm') return 'html';
  if (ext === '.pdf') return 'pdf';
  throw new CwError('CW_ERR_USAGE', `--out ${out}: the report file must end in .html or .pdf`);
}

/**
 * `cranewatch report --db FILE --out report.html|pdf`: the console's story of one store — summary,
 * cranes, incidents with evidence and recommended actions, container data leaving the terminal,
 * flagged flows, inventory differences, telemetry charts — as one self-contained HTML file, or
 * printed to PDF by Chromium (report/pdf-report.ts). The file is written whole or not at all (HTML:
 * a temporary file renamed into place). Prints the path written. Returns ExitCode.OK.
 * Errors (CwError): CW_ERR_USAGE for an unknown extension; CW_ERR_NOT_FOUND / CW_ERR_READ for a
 * missing store or one that is not CraneWatch's; CW_ERR_CONFIG when a PDF is asked for and
 * Chromium is absent; CW_ERR_WRITE when the file cannot be written.
 */
export async function runReport(opts: ReportCommandOptions): Promise<number> {
  const format = reportFormat(opts.out);
  checkStoreFile(opts.db);
  const queries = new SqliteConsoleQueries(opts.db);
  let html: string;
  try {
    html = renderHtmlReport(await collectReport(queries, Date.now() / 1000));
  } finally {
    queries.close();
  }
  if (format === 'pdf') {
    // Only a PDF needs the browser driver (playwright-core, ≈ 0.4 s and 80 MB to load).
    const { writePdf } = await import('../report/pdf-report.js');
    await writePdf(html, opts.out);
  } else {
    const partial = `${opts.out}.partial`;
    try {
      writeFileSync(partial, html);
      renameSync(partial, opts.out);
    } catch (e) {
      rmSync(partial, { force: true });
      throw new CwError('CW_ERR_WRITE', `cannot write ${opts.out}: ${(e as Error).message}`);
    }
  }
  process.stdout.write(`Report: ${opts.out}\n`);
  return ExitCode.OK;
}
