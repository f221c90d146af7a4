/**
 * Zeek's own DNP3 test traces through the whole pipeline: the trace that once overflowed Zeek's flow
 * buffer must not break anything, link-only traffic is recognised without application records, and DNP3
 * on a non-standard port (20001) is found by content.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { sharedFile } from '../../helpers/shared-data.js';

async function run(file: string): Promise<Map<string, LogRecord[]>> {
  const out = new Map<string, LogRecord[]>();
  const sink = {
    write(stream: string, r: LogRecord): void {
      const l = out.get(stream);
      if (l === undefined) out.set(stream, [r]);
      else l.push(r);
    },
    async close(): Promise<void> {},
  };
  await analyzeCaptures([file], { sink });
  return out;
}

const analyzerErrors = (logs: Map<string, LogRecord[]>): LogRecord[] => (logs.get('weird') ?? []).filter((w) => String(w.name).startsWith('session.analyzer_error'));

test('dnp3-flowbuffer-overflow-assert.pcap: no analyzer error, the flow is DNP3', async (t) => {
  const f = sharedFile(t, 'zeek-ics-baselines/traces/dnp3/dnp3-flowbuffer-overflow-assert.pcap');
  if (f === null) return;
  const logs = await run(f);
  assert.deepEqual(analyzerErrors(logs), []);
  assert.ok((logs.get('conn') ?? []).some((c) => c.service === 'dnp3_tcp'));
});

test('dnp3_link_only.pcap: link-layer frames confirm DNP3 and write no application rows', async (t) => {
  const f = sharedFile(t, 'zeek-ics-baselines/traces/dnp3/dnp3_link_only.pcap');
  if (f === null) return;
  const logs = await run(f);
  assert.deepEqual(analyzerErrors(logs), []);
  assert.ok((logs.get('conn') ?? []).some((c) => c.service === 'dnp3_tcp'));
});

test('dnp3_read_p20001.pcap: DNP3 on port 20001 is found by content', async (t) => {
  const f = sharedFile(t, 'zeek-ics-baselines/traces/dnp3/dnp3_read_p20001.pcap');
  if (f === null) return;
  const logs = await run(f);
  const rows = logs.get('dnp3') ?? [];
  assert.deepEqual(rows.map((r) => [r['id.resp_p'], r.fc_request, r.fc_reply]), [[20001, 'READ', 'RESPONSE']]);
});
