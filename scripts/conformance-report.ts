/**
 * `npm run conformance`: runs every protocol's conformance module (test/helpers/conformance/index.ts)
 * against the shared data set and writes docs/CONFORMANCE.md — per protocol and peer the agreement
 * rate (agreed / peer records), a row per capture, the rate of each compared field, and every
 * difference (the first `--max-differences` of each capture, then the count of the rest). Modules not
 * written yet are listed as "not yet built". The same modules back the tests of test/conformance/, so
 * the document and the tests state the same figures. No timestamps are written: the same data, tools
 * and code give the same file.
 *
 * Usage: node --import tsx scripts/conformance-report.ts [--data DIR] [--out FILE] [--only a,b]
 *                                                        [--max-differences N] [--tshark-scan]
 *   --data DIR             data folder (default $CRANEWATCH_SHARED_DATA or ../shared/data)
 *   --out FILE             where to write (default docs/CONFORMANCE.md; `-` for stdout)
 *   --only a,b             run only these modules (names of CONFORMANCE_MODULES)
 *   --max-differences N    differences listed per capture (default 20)
 *   --tshark-scan          also run `tshark -Y mbtcp` over every capture (slow) and list the captures where
 *                          tshark sees Modbus/TCP but the Modbus comparison did not run (should be none)
 * Exit status: 0; 1 when the data folder is absent, a module fails to load or to run (the document is
 * still written, with the failure in it), or on an I/O error; 2 on a bad flag.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findCaptures } from '../test/helpers/capture-files.js';
import { agreementRate, type CaptureAgreement, type ProtocolAgreement } from '../test/helpers/conformance/agreement.js';
import { CONFORMANCE_MODULES, loadConformanceModules, type ConformanceModule } from '../test/helpers/conformance/index.js';
import { SHARED_DATA } from '../test/helpers/shared-data.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function has(flag: string): boolean {
  return process.argv.includes(flag);
}

function option(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
}

function usage(message: string): never {
  process.stderr.write(`conformance-report: ${message}\n`);
  process.exit(2);
}

/** `n / d` as a percentage with two decimals, `—` when there is nothing to compare. */
function pct(n: number, d: number): string {
  return d === 0 ? '—' : `${((100 * n) / d).toFixed(2)} %`;
}

/** Text safe inside a Markdown table cell. */
function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** True when tshark shows at least one Modbus/TCP PDU in `file` (port 502 only, tshark's default). */
function tsharkSeesModbus(file: string): Promise<boolean> {
  return new Promise((done, fail) => {
    const child = spawn('tshark', ['-n', '-r', file, '-Y', 'mbtcp', '-T', 'fields', '-e', 'frame.number'], { stdio: ['ignore', 'pipe', 'ignore'] });
    let seen = false;
    child.stdout.on('data', () => {
      seen = true;
    });
    child.on('error', fail);
    child.on('close', () => done(seen));
  });
}

/** Captures (relative names) where tshark sees Modbus/TCP but `compared` does not list them. */
async function modbusMissed(data: string, compared: ReadonlySet<string>): Promise<string[]> {
  const missed: string[] = [];
  const all = findCaptures(data);
  for (let i = 0; i < all.length; i += 2) {
    const pair = all.slice(i, i + 2);
    const seen = await Promise.all(pair.map((rel) => tsharkSeesModbus(join(data, rel))));
    pair.forEach((rel, j) => {
      if (seen[j] && !compared.has(rel)) missed.push(rel);
    });
  }
  return missed;
}

/** The outcome of one module. */
type Outcome = { module: ConformanceModule; agreements: ProtocolAgreement[]; error: string | null };

/** Sum of the field figures over captures, fields in first-seen order. */
function fieldTotals(captures: readonly CaptureAgreement[]): { field: string; compared: number; agreed: number }[] {
  const m = new Map<string, { field: string; compared: number; agreed: number }>();
  for (const c of captures) {
    for (const f of c.fields) {
      const s = m.get(f.field) ?? { field: f.field, compared: 0, agreed: 0 };
      s.compared += f.compared;
      s.agreed += f.agreed;
      m.set(f.field, s);
    }
  }
  return [...m.values()];
}

/** A difference line a module accepted (a documented peer error or a deliberate difference). */
function isAccepted(line: string): boolean {
  return line.includes('(accepted') || line.includes('accepted:') || line.startsWith('excluded:');
}

function totals(p: ProtocolAgreement): { peer: number; matched: number; agreed: number; differences: number; open: number } {
  let peer = 0;
  let matched = 0;
  let agreed = 0;
  let differences = 0;
  let open = 0;
  for (const c of p.captures) {
    peer += c.peerRecords;
    matched += c.matched;
    agreed += c.agreed;
    differences += c.differences.length;
    for (const d of c.differences) if (!isAccepted(d)) open++;
  }
  return { peer, matched, agreed, differences, open };
}

/** Markdown anchor GitHub gives a heading. */
function anchor(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
}

function section(p: ProtocolAgreement, maxDifferences: number): string[] {
  const t = totals(p);
  const out: string[] = [`### ${p.protocol} vs ${p.peer}`, ''];
  out.push(`Agreement ${pct(t.agreed, t.peer)}: ${t.agreed} of ${t.peer} peer records agree on every compared field (${t.matched} matched a CraneWatch record) over ${p.captures.length} captures; ${t.differences} differences listed, ${t.open} of them not accepted.`, '');
  const fields = fieldTotals(p.captures);
  if (fields.length > 0) {
    out.push('| field | compared | agreed | rate |', '|---|---:|---:|---:|');
    for (const f of fields) out.push(`| ${cell(f.field)} | ${f.compared} | ${f.agreed} | ${pct(f.agreed, f.compared)} |`);
    out.push('');
  }
  if (p.captures.length > 0) {
    out.push('| capture | stream | peer records | matched | agreed | rate | differences |', '|---|---|---:|---:|---:|---:|---:|');
    for (const c of p.captures) out.push(`| ${cell(c.capture)} | ${cell(c.stream)} | ${c.peerRecords} | ${c.matched} | ${c.agreed} | ${pct(c.agreed, c.peerRecords)} | ${c.differences.length} |`);
    out.push('');
  }
  const withDiffs = p.captures.filter((c) => c.differences.length > 0);
  if (withDiffs.length > 0) {
    out.push('Differences (`accepted:` lines are explained, with the bytes, by the test they name):', '');
    for (const c of withDiffs) {
      out.push(`- ${cell(c.capture)} (${c.stream})`, '', '  ```');
      for (const d of c.differences.slice(0, maxDifferences)) out.push(`  ${d.replace(/\n/g, ' ')}`);
      if (c.differences.length > maxDifferences) out.push(`  … and ${c.differences.length - maxDifferences} more`);
      out.push('  ```', '');
    }
  }
  return out;
}

function render(outcomes: readonly Outcome[], tshark: string, maxDifferences: number, scan: string[] | null): string {
  const out: string[] = [
    '# Conformance',
    '',
    "CraneWatch's log records compared, capture by capture, with peers that read the same captures: tshark's",
    'dissection (`tshark -T fields` / PDML) and, where the shared data set carries them, Zeek and ICSNPP expected',
    "logs. A peer record agrees when CraneWatch has the matching record and every compared field is equal; the rate",
    'is agreed / peer records. Each protocol module (test/helpers/conformance/) says how records are matched and',
    'which fields are compared; the tests of test/conformance/ run the same modules and assert on the same figures.',
    '',
    `- tshark: ${tshark}`,
    '- Data: the public captures of ../shared/data (see its README.md and each folder\'s SOURCES.md).',
    '- Regenerate: `npm run conformance` (node --import tsx scripts/conformance-report.ts; options in its header comment).',
    '',
    '## Summary',
    '',
    '`rate` counts a record as agreeing only when every compared field is equal; `differences` lists each',
    'field that is not, and `open` those not accepted — a difference is accepted only where a test shows',
    'with the bytes that the peer is wrong, or where CraneWatch differs on purpose (e.g. never logging a password).',
    '',
    '| protocol | peer | captures | peer records | agreed | rate | differences | open |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const o of outcomes) {
    if (o.module.state === 'not_built') out.push(`| ${o.module.name} | — | — | — | — | not yet built | — | — |`);
    else if (o.error !== null) out.push(`| ${o.module.name} | — | — | — | — | failed: ${cell(o.error)} | — | — |`);
    else if (o.agreements.length === 0) out.push(`| ${o.module.name} | — | 0 | 0 | 0 | no peer available | — | — |`);
    for (const p of o.agreements) {
      const t = totals(p);
      out.push(`| [${cell(p.protocol)}](#${anchor(`${p.protocol} vs ${p.peer}`)}) | ${cell(p.peer)} | ${p.captures.length} | ${t.peer} | ${t.agreed} | ${t.peer === 0 ? '—' : `${(100 * agreementRate(p)).toFixed(2)} %`} | ${t.differences} | ${t.open} |`);
    }
  }
  out.push('');
  for (const o of outcomes) {
    if (o.agreements.length === 0) continue;
    out.push(`## ${o.module.name}`, '');
    for (const p of o.agreements) out.push(...section(p, maxDifferences));
    if (o.module.name === 'modbus' && scan !== null) {
      out.push('### tshark scan of every capture', '');
      out.push(scan.length === 0 ? 'Every capture where tshark sees Modbus/TCP was compared.' : `Not compared: ${scan.join(', ')}`, '');
    }
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

async function main(): Promise<number> {
  const data = resolve(option('--data') ?? SHARED_DATA);
  const outFile = option('--out') ?? join(root, 'docs', 'CONFORMANCE.md');
  const maxDifferences = Number(option('--max-differences') ?? 20);
  if (!Number.isInteger(maxDifferences) || maxDifferences < 0) usage('--max-differences takes a whole number');
  const only = option('--only')?.split(',') ?? null;
  for (const n of only ?? []) if (!(CONFORMANCE_MODULES as readonly string[]).includes(n)) usage(`unknown module ${n} (known: ${CONFORMANCE_MODULES.join(', ')})`);
  if (!existsSync(data)) {
    process.stderr.write(`conformance-report: data folder ${data} is absent; nothing written\n`);
    return 1;
  }
  const version = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  const tshark = version.status === 0 ? version.stdout.split('\n')[0] : 'not installed (tshark-peered comparisons skipped)';
  const outcomes: Outcome[] = [];
  for (const module of await loadConformanceModules()) {
    if (only !== null && !only.includes(module.name)) continue;
    if (module.state !== 'ready') {
      if (module.state === 'broken') process.stderr.write(`conformance-report: ${module.name}: ${module.error}\n`);
      outcomes.push({ module, agreements: [], error: module.state === 'broken' ? module.error : null });
      continue;
    }
    const t0 = process.hrtime.bigint();
    process.stderr.write(`conformance-report: ${module.name} …\n`);
    const outcome = await module.run(data).then(
      (agreements): Outcome => ({ module, agreements, error: null }),
      (e: unknown): Outcome => ({ module, agreements: [], error: e instanceof Error ? e.message.split('\n')[0] : String(e) }),
    );
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    process.stderr.write(`conformance-report: ${module.name} ${outcome.error === null ? 'done' : `failed: ${outcome.error}`} in ${s.toFixed(0)} s\n`);
    outcomes.push(outcome);
  }
  let scan: string[] | null = null;
  if (has('--tshark-scan')) {
    const modbus = outcomes.find((o) => o.module.name === 'modbus');
    scan = await modbusMissed(data, new Set(modbus?.agreements.flatMap((p) => p.captures.map((c) => c.capture)) ?? []));
  }
  const text = render(outcomes, tshark, maxDifferences, scan);
  if (outFile === '-') process.stdout.write(text);
  else {
    mkdirSync(dirname(resolve(outFile)), { recursive: true });
    writeFileSync(outFile, text);
    process.stderr.write(`conformance-report: wrote ${outFile}\n`);
  }
  return outcomes.some((o) => o.error !== null) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`conformance-report: ${(e as Error).message}\n`);
    process.exit(1);
  },
);
