import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Technique } from '../../src/detect/attack.js';
import type { Detector } from '../../src/detect/detector.js';
import { DetectionEngine } from '../../src/detect/engine.js';
import type { FindingReport } from '../../src/detect/finding.js';
import { INCIDENT_GAP_SEC } from '../../src/detect/incidents.js';
import type { LogRecord } from '../../src/events/record.js';
import { demoPolicy, MemorySink } from './helpers.js';

/** A detector that reports whatever each `probe` record carries. */
function echo(name: string): Detector {
  return {
    name,
    streams: ['probe'],
    observe(_s, r: LogRecord, out) {
      out.report(r.report as unknown as FindingReport);
    },
    finish() {},
  };
}

function rep(key: string, ts: number, host: string, extra: Partial<FindingReport> = {}): LogRecord {
  const report: FindingReport = {
    key,
    ts,
    severity: 'medium',
    title: `t-${key}`,
    explanation: `e-${key}`,
    techniques: [Technique.UNAUTHORIZED_COMMAND],
    hosts: [host],
    evidence: { stream: 'conn', uid: `C${ts}` },
    action: 'a',
    ...extra,
  };
  return { report } as unknown as LogRecord;
}

describe('DetectionEngine', () => {
  const policy = demoPolicy();

  it('merges reports of one key: count, last time, highest severity, evidence, techniques; ids are deterministic', () => {
    const run = (): MemorySink => {
      const out = new MemorySink();
      const e = new DetectionEngine([echo('d1')], policy, out);
      e.write('probe', rep('k', 100, '10.10.9.66'));
      e.write('probe', rep('k', 105, '10.10.9.66', { severity: 'critical', title: 'worse', techniques: [Technique.MODIFY_PARAMETER] }));
      e.write('probe', rep('k', 103, '10.10.9.66'));
      e.write('other', rep('x', 1, '1.1.1.1'));
      e.finish();
      e.finish();
      return out;
    };
    const a = run();
    const f = a.get('findings');
    assert.equal(f.length, 1);
    assert.equal(f[0].count, 3);
    assert.equal(f[0].ts, 100);
    assert.equal(f[0].last_ts, 105);
    assert.equal(f[0].severity, 'critical');
    assert.equal(f[0].title, 'worse');
    assert.deepEqual(f[0].techniques, ['T0855', 'T0836']);
    assert.deepEqual(f[0].evidence_uids, ['C100', 'C105', 'C103']);
    assert.deepEqual(f[0].zones, ['terminal-lan']);
    assert.match(f[0].finding_id as string, /^F[0-9A-Za-z]+$/);
    assert.deepEqual(run().get('findings'), f, 'same input, same ids');
    assert.equal(a.get('incidents').length, 1);
  });

  it("counts a flow reported at its first packet and at its end (conn_open, then conn) as one occurrence", () => {
    const out = new MemorySink();
    const e = new DetectionEngine([{ ...echo('d1'), streams: ['conn_open', 'conn'] }], policy, out);
    const flow = (ts: number, uid: string): LogRecord => rep('k', ts, '10.10.9.66', { evidence: { stream: 'conn', uid } });
    e.write('conn_open', flow(100, 'Cone'));
    e.write('conn_open', flow(101, 'Ctwo'));
    e.write('conn', flow(100, 'Cone'));
    e.write('conn', flow(103, 'Cthree')); // a flow seen only at its end
    e.write('conn', flow(101, 'Ctwo'));
    e.finish();
    const [f] = out.get('findings');
    assert.equal(f.count, 3);
    assert.deepEqual(f.evidence_uids, ['Cone', 'Ctwo', 'Cthree']);
  });

  it('groups by actor or crane within the gap, and splits after it', () => {
    const out = new MemorySink();
    const e = new DetectionEngine([echo('d1'), { ...echo('d2'), streams: ['probe2'] }], policy, out);
    e.write('probe', rep('a', 100, '10.10.9.66'));
    e.write('probe2', rep('b', 200, '10.10.9.66', { hosts: ['10.10.9.66', '10.10.2.11'] }));
    e.write('probe', rep('c', 300, '10.10.2.99', { cranes: ['STS-01'] }));
    e.write('probe', rep('d', 400, '10.10.7.7', { cranes: ['STS-01'] }));
    e.write('probe', rep('e', 400 + INCIDENT_GAP_SEC + 1, '10.10.9.66'));
    e.finish();
    const inc = out.get('incidents');
    assert.deepEqual(inc.map((i) => i.findings), [2, 2, 1]);
    assert.deepEqual(inc[0].detectors, ['d1', 'd2']);
    const f = out.get('findings');
    assert.equal(new Set(f.map((x) => x.incident_id)).size, 3);
  });

  it('titles an incident by its most severe finding; among equals by what was done to the cranes, not the network context', () => {
    const out = new MemorySink();
    const e = new DetectionEngine([echo('conduit_violation'), { ...echo('unauthorized_write'), streams: ['probe2'] }, { ...echo('plc_command'), streams: ['probe3'] }], policy, out);
    e.write('probe', rep('flow', 100, '10.10.9.66', { severity: 'high', title: 'no conduit' }));
    e.write('probe2', rep('write', 101, '10.10.9.66', { severity: 'high', title: 'the write' }));
    e.finish();
    const [inc] = out.get('incidents');
    assert.equal(inc.title, 'the write', 'same severity: the write tells the story, not the missing conduit');
    assert.match(inc.msg as string, /^e-write 1 related finding: no conduit\.$/);

    const out2 = new MemorySink();
    const e2 = new DetectionEngine([echo('conduit_violation'), { ...echo('unauthorized_write'), streams: ['probe2'] }], policy, out2);
    e2.write('probe2', rep('write', 100, '10.10.9.66', { severity: 'high', title: 'the write' }));
    e2.write('probe', rep('flow', 101, '10.10.9.66', { severity: 'critical', title: 'critical flow' }));
    e2.finish();
    assert.equal(out2.get('incidents')[0].title, 'critical flow', 'severity first');
    assert.equal(out2.get('incidents')[0].severity, 'critical');
  });
});
