/**
 * Modbus/TCP conformance report against tshark, in Markdown on stdout: agreement per capture and
 * overall (records and each field), then every difference. Same comparison as
 * test/conformance/modbus-tshark.test.ts (test/helpers/modbus-conformance.ts).
 *
 * Usage: node --import tsx scripts/conformance-report.ts [--zips] [--tshark-scan] [--data DIR]
 *   --zips         also compare the captures inside ZIP archives
 *   --tshark-scan  also run `tshark -Y mbtcp` over every capture (slow: about a minute) and list the
 *                  captures where tshark sees Modbus/TCP but the comparison did not run (should be none)
 *   --data DIR     data folder (default $CRANEWATCH_SHARED_DATA or ../shared/data)
 * Exit status: 0, or 1 when tshark is missing or fails.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { findCaptures } from '../test/helpers/capture-files.js';
import { agreementLine, overall, runModbusConformance } from '../test/helpers/modbus-conformance.js';
import { SHARED_DATA } from '../test/helpers/shared-data.js';

const SHOWN_PER_GROUP = 10;

function has(flag: string): boolean {
  return process.argv.includes(flag);
}

function option(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
}

/** True when tshark shows at least one Modbus/TCP PDU in `file` (port 502 only, tshark's default). */
function tsharkSeesModbus(file: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn('tshark', ['-n', '-r', file, '-Y', 'mbtcp', '-T', 'fields', '-e', 'frame.number'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = false;
    child.stdout.on('data', () => {
      seen = true;
    });
    child.on('error', reject);
    child.on('close', () => resolve(seen));
  });
}

async function main(): Promise<void> {
  const root = option('--data') ?? SHARED_DATA;
  const run = await runModbusConformance(root, { zips: has('--zips') });
  const out: string[] = ['# Modbus/TCP: CraneWatch vs tshark', ''];
  out.push(`${run.scanned} captures scanned, tshark run on ${run.candidates}, Modbus/TCP in ${run.results.length}.`, '');
  out.push('## Agreement', '');
  for (const r of run.results) out.push(`- ${agreementLine(r)}`);
  out.push('', ...overall(run.results).lines.map((l) => `    ${l}`), '', '## Differences', '');
  for (const r of run.results) {
    if (r.agreement.differences.length === 0) continue;
    out.push(`### ${r.name}`, '');
    // Differences of one kind in one direction: the first ten, then a count.
    const shown = new Map<string, number>();
    for (const d of r.agreement.differences) {
      const group = `${d.direction} ${d.kind} ${d.field ?? ''}`;
      const n = (shown.get(group) ?? 0) + 1;
      shown.set(group, n);
      if (n > SHOWN_PER_GROUP) continue;
      const where = d.frame === null ? `ts ${d.ts}` : `frame ${d.frame}`;
      const what = d.kind === 'field' ? `${d.field}: tshark ${d.tshark ?? '-'}, CraneWatch ${d.cranewatch ?? '-'}` : d.kind;
      out.push(`- ${d.direction} ${where} tid ${d.tid} fc ${d.funcByte}: ${what}`);
    }
    for (const [group, n] of shown) if (n > SHOWN_PER_GROUP) out.push(`- … ${n - SHOWN_PER_GROUP} more: ${group.trim()}`);
    out.push('');
  }
  if (has('--tshark-scan')) {
    const compared = new Set(run.results.map((r) => r.name));
    const missed: string[] = [];
    const all = findCaptures(root);
    for (let i = 0; i < all.length; i += 2) {
      const pair = all.slice(i, i + 2);
      const seen = await Promise.all(pair.map((rel) => tsharkSeesModbus(join(root, rel))));
      pair.forEach((rel, j) => {
        if (seen[j] && !compared.has(rel)) missed.push(rel);
      });
    }
    out.push('## tshark scan of every capture', '');
    out.push(missed.length === 0 ? 'Every capture where tshark sees Modbus/TCP was compared.' : `Not compared: ${missed.join(', ')}`, '');
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`conformance-report: ${(e as Error).message}\n`);
  process.exit(1);
});
