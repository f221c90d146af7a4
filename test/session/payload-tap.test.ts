import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { LogRecord } from '../../src/events/record.js';
import { analyzeCaptures } from '../../src/pipeline/analyze.js';
import type { ConnId, PayloadObserver, PayloadTap } from '../../src/session/analyzer.js';
import { writeDemoCapture } from '../../src/sim/demo.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-tap-'));
const pcap = join(dir, 'demo.pcap');
const { truth } = writeDemoCapture(pcap);

test('a payload tap sees the in-order bytes of the flows it opens, whatever their protocol, and nothing else', async () => {
  const seen = new Map<string, { id: ConnId; orig: number; resp: number; ends: number }>();
  const tap: PayloadTap = {
    open(uid, id) {
      if (id.resp_p !== 443 && id.resp_h !== truth.unexpectedWrite.dst) return null;
      const s = { id, orig: 0, resp: 0, ends: 0 };
      seen.set(uid, s);
      return {
        payload(isOrig, data) {
          if (isOrig) s.orig += data.length;
          else s.resp += data.length;
        },
        end() {
          s.ends++;
        },
      } satisfies PayloadObserver;
    },
  };
  const conns: LogRecord[] = [];
  await analyzeCaptures([pcap], { sink: { write: (s, r) => void (s === 'conn' && conns.push(r)), close: async () => {} }, payloadTap: tap });
  assert.ok(seen.size >= 2, 'the TLS flow and the flows to STS-01');
  for (const [uid, s] of seen) {
    const c = conns.find((r) => r.uid === uid);
    assert.ok(c, uid);
    assert.equal(s.orig, c.orig_bytes, `${uid} originator bytes`);
    assert.equal(s.resp, c.resp_bytes, `${uid} responder bytes`);
    assert.equal(s.ends, 1);
  }
  assert.ok([...seen.values()].some((s) => s.id.resp_p === 443), 'a flow no analyzer claims is tapped too');
});

test('a tap that throws is detached with weird session.tap_error; the analysis goes on', async () => {
  const weirds: LogRecord[] = [];
  let modbus = 0;
  const tap: PayloadTap = {
    open: () => ({
      payload() {
        throw new Error('boom');
      },
      end() {},
    }),
  };
  await analyzeCaptures([pcap], {
    sink: {
      write: (s, r) => {
        if (s === 'weird') weirds.push(r);
        if (s === 'modbus') modbus++;
      },
      close: async () => {},
    },
    payloadTap: tap,
  });
  assert.ok(weirds.some((w) => w.name === 'session.tap_error' && w.addl === 'Error: boom'));
  assert.ok(modbus > 1000, 'Modbus still decoded');
});
