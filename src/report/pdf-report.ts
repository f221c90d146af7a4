import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CwError } from '../errors.js';

/** Chromium used when CRANEWATCH_CHROMIUM is not set: Debian's `chromium` package. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Chromium's flags for a headless, offline print: no sandbox (it may run as root in a container),
 * no GPU, and none of its background connections (update checks, sync, component downloads).
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];

/** The Chromium executable: `$CRANEWATCH_CHROMIUM`, else DEFAULT_CHROMIUM. */
export function chromiumPath(): string {
  return process.env.CRANEWATCH_CHROMIUM || DEFAULT_CHROMIUM;
}

/**
 * Prints a self-contained HTML document to a PDF file (A4, backgrounds printed, the page's own
 * `@page` size and margins honoured) with a headless Chromium driven by playwright-core. Every
 * request the page would make is refused, so nothing leaves the machine.
 * @param html the document (renderHtmlReport's output)
 * @param outPath the PDF file to write (replaced if it exists)
 * Errors: CwError CW_ERR_CONFIG when Chromium is not installed at `chromiumPath()` (install Debian's
 * `chromium` or set CRANEWATCH_CHROMIUM); CW_ERR_WRITE when Chromium cannot start or print.
 */
export async function writePdf(html: string, outPath: string): Promise<void> {
  const exe = chromiumPath();
  if (!existsSync(exe)) {
    throw new CwError('CW_ERR_CONFIG', `a PDF report needs Chromium, not found at ${exe}: install it (Debian: apt-get install chromium) or set CRANEWATCH_CHROMIUM, or write --out report.html`);
  }
  let browser;
  try {
    browser = await chromium.launch({ executablePath: exe, headless: true, args: CHROMIUM_ARGS });
  } catch (e) {
    throw new CwError('CW_ERR_WRITE', `cannot start Chromium (${exe}) to print the PDF: ${firstLine(e)}`);
  }
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    await page.pdf({ path: outPath, format: 'A4', printBackground: true, preferCSSPageSize: true });
  } catch (e) {
    throw new CwError('CW_ERR_WRITE', `cannot print the PDF report to ${outPath}: ${firstLine(e)}`);
  } finally {
    await browser.close();
  }
}

/** An error's message, first line only (playwright appends call logs). */
function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}
