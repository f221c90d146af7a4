import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { scanContainerNumbers } from '../../src/crane/container-scan.js';
import { parseBaplie } from '../../src/crane/edifact/baplie.js';
import { writeBaplie } from '../../src/crane/edifact/baplie-writer.js';
import { parseCoarri } from '../../src/crane/edifact/coarri.js';
import { parseEdifact } from '../../src/crane/edifact/envelope.js';
import { DEFAULT_EDI_LIMITS, type EdiLimits } from '../../src/crane/edifact/limits.js';
import { makeContainerNumber } from '../../src/crane/iso6346.js';
import { portEdiFile } from './port-edi.js';

/** mulberry32: deterministic PRNG (fixed seed, a failing mutant is reproduced from its seed). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SERVICE = Buffer.from("'+:?\r\nU", 'latin1');

/** One mutant of `src`: truncation, byte flips, service characters sprinkled in, ranges zeroed or duplicated. */
function mutate(src: Uint8Array, seed: number): { kind: string; bytes: Uint8Array } {
  const rnd = prng(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
  const kinds = ['truncate', 'truncate_head', 'flip', 'flip_dense', 'service', 'zero', 'duplicate'] as const;
  const kind = kinds[seed % kinds.length];
  const len = src.length;
  switch (kind) {
    case 'truncate':
      return { kind, bytes: src.slice(0, int(0, len - 1)) };
    case 'truncate_head':
      return { kind, bytes: src.slice(int(1, len - 1)) };
    case 'flip':
    case 'flip_dense': {
      const out = src.slice();
      const n = kind === 'flip' ? int(1, 32) : Math.max(1, Math.floor(len / 100));
      for (let i = 0; i < n; i++) out[int(0, len - 1)] ^= int(1, 255);
      return { kind, bytes: out };
    }
    case 'service': {
      const out = src.slice();
      for (let i = 0, n = int(1, 64); i < n; i++) out[int(0, len - 1)] = SERVICE[int(0, SERVICE.length - 1)];
      return { kind, bytes: out };
    }
    case 'zero': {
      const out = src.slice();
      const at = int(0, len - 1);
      out.fill(0, at, Math.min(len, at + int(1, 4096)));
      return { kind, bytes: out };
    }
    case 'duplicate': {
      const from = int(0, len - 1);
      const piece = src.slice(from, Math.min(len, from + int(1, 4096)));
      const at = int(0, len);
      const out = new Uint8Array(len + piece.length);
      out.set(src.subarray(0, at));
      out.set(piece, at);
      out.set(src.subarray(at), at + piece.length);
      return { kind, bytes: out };
    }
  }
}

const LIMITS: EdiLimits = { ...DEFAULT_EDI_LIMITS, maxAnomalies: 64 };

/** Every reader on `bytes`: none may throw, and every result is one of the typed shapes. */
function readAll(bytes: Uint8Array, label: string): void {
  try {
    const doc = parseEdifact(bytes, LIMITS);
    assert.ok(Array.isArray(doc.messages));
    const b = parseBaplie(bytes, LIMITS);
    if (b.ok) {
      for (const p of b.plans) for (const c of p.containers) assert.equal(typeof c.number, 'string');
    } else assert.equal(b.error, 'baplie.no_message');
    assert.ok(b.anomalies.length <= LIMITS.maxAnomalies && b.anomalyTotal >= b.anomalies.length);
    const c = parseCoarri(bytes, LIMITS);
    if (!c.ok) assert.equal(c.error, 'coarri.no_message');
    assert.ok(c.anomalies.length <= LIMITS.maxAnomalies);
    scanContainerNumbers(bytes);
  } catch (e) {
    assert.fail(`${label}: ${(e as Error).stack ?? String(e)}`);
  }
}

const FILES: [string, number][] = [
  ['mjapdeva-readbaplie/BAPLIE_Export.EDI', 140],
  ['mjapdeva-readbaplie/COARRI.edi', 210],
  ['mjapdeva-readbaplie/COARRI_NEW.edi', 210],
  ['mjapdeva-readbaplie/MOVINS DMR V09.edi', 140],
  ['mjapdeva-readbaplie/MOVINS_VERSION2_NEW.edi', 140],
  ['mjapdeva-readbaplie/DEPARTURE BAPLIE FINAL - DEL MONTE ROSE - 25360187.edi', 140],
  ['henry0hai-parse-baplie/demo_v22.edi', 140],
  ['henry0hai-parse-baplie/demo_v15.edi', 14],
];

for (const [file, mutants] of FILES) {
  test(`mutation fuzz: ${mutants} mutants of ${file} never throw`, (t) => {
    const path = portEdiFile(t, file);
    if (path === null) return;
    const src = new Uint8Array(readFileSync(path));
    for (let seed = 1; seed <= mutants; seed++) {
      const m = mutate(src, seed);
      readAll(m.bytes, `${file} seed ${seed} (${m.kind})`);
    }
  });
}

test('mutation fuzz of a written bay plan (no shared data needed): 700 mutants never throw', () => {
  const containers = Array.from({ length: 40 }, (_, i) => ({
    number: makeContainerNumber('TWN', 'U', i),
    isoSizeType: '45R1',
    position: { bay: 1 + i * 2, row: i % 10, tier: 82 },
    portOfLoading: 'CRMOB',
    portOfDischarge: 'USLGB',
    grossWeightKg: 20000 + i,
    vgmKg: 20010 + i,
    fullEmpty: 'full' as const,
    reeferTempC: -18,
    dangerousGoods: [{ imdgClass: '2.1', unNumber: '1950' }],
  }));
  const text = writeBaplie(
    {
      interchange: { sender: 'TWIN', recipient: 'TOS', date: '2025-04-02T15:16', controlRef: '1' },
      messageRef: 'M',
      documentNumber: "D'1",
      documentDate: '2025-04-02T15:16',
      vessel: { name: 'FUZZ', callSign: 'ABCD', voyage: '1' },
      ports: { departure: 'CRMOB', nextPortOfCall: 'USLGB' },
      schedule: { etd: '2025-04-02T20:00' },
      containers,
    },
    '\n',
  );
  const src = new Uint8Array(Buffer.from(text, 'latin1'));
  for (let seed = 1; seed <= 700; seed++) {
    const m = mutate(src, seed);
    readAll(m.bytes, `written plan seed ${seed} (${m.kind})`);
  }
});
