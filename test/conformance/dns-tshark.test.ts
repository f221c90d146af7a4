/**
 * DNS conformance against tshark on every capture of the shared data set that carries DNS, zipped
 * captures included. Which captures, how messages are matched and which fields are compared:
 * test/helpers/conformance/dns.ts (the same code writes docs/CONFORMANCE.md).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaptureAgreement } from '../helpers/conformance/agreement.js';
import { dnsCaptureAgreements } from '../helpers/conformance/dns.js';
import { haveTshark, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';

let run: Promise<CaptureAgreement[]> | null = null;

const pct = (n: number, d: number): string => (d === 0 ? '—' : `${((100 * n) / d).toFixed(2)} %`);

test('DNS: CraneWatch dns records agree with tshark message for message on every DNS capture', async (t) => {
  if (sharedFile(t, '.') === null || !haveTshark(t)) return;
  run ??= dnsCaptureAgreements(SHARED_DATA);
  const captures = await run;
  let agreeing = 0;
  let compared = 0;
  const fields = new Map<string, { compared: number; agreed: number }>();
  for (const c of captures) {
    t.diagnostic(`${c.capture}: ${c.agreed}/${c.peerRecords} DNS messages agree; ${c.matched} found among CraneWatch's dns records`);
    agreeing += c.agreed;
    compared += c.peerRecords;
    for (const f of c.fields) {
      const s = fields.get(f.field) ?? { compared: 0, agreed: 0 };
      s.compared += f.compared;
      s.agreed += f.agreed;
      fields.set(f.field, s);
    }
  }
  t.diagnostic(`overall: ${agreeing}/${compared} DNS messages agree (${pct(agreeing, compared)}) over ${captures.length} captures`);
  for (const [f, s] of fields) t.diagnostic(`  ${f}: ${s.agreed}/${s.compared} (${pct(s.agreed, s.compared)})`);
  const misses = captures.flatMap((c) => c.differences.map((d) => `${c.capture} ${d}`));
  for (const m of misses.slice(0, 20)) t.diagnostic(`differs: ${m}`);
  assert.ok(captures.length > 0, 'at least one capture carries DNS');
  assert.equal(agreeing, compared, misses.slice(0, 20).join('\n'));
});
