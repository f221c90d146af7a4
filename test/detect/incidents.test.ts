import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Technique } from '../../src/detect/attack.js';
import type { Finding } from '../../src/detect/engine.js';
import type { Severity } from '../../src/detect/finding.js';
import { groupIncidents, INCIDENT_GAP_SEC, type Incident } from '../../src/detect/incidents.js';
import { hashId } from '../../src/session/uid.js';

const MODEM = '10.20.1.204';
const CLOUD = '198.51.100.20';
const LAPTOP = '10.20.1.178';
const PLC1 = '10.20.1.10';
const PLC2 = '10.20.2.10';
const T0 = 1_741_939_200;

interface Spec {
  readonly detector: string;
  readonly at: number;
  readonly end?: number;
  readonly hosts?: readonly string[];
  readonly cranes?: readonly string[];
  readonly severity?: Severity;
}

/** A finding named `id`, `at`..`end` seconds after T0. */
function finding(id: string, s: Spec): Finding {
  return {
    id,
    detector: s.detector,
    key: id,
    firstTs: T0 + s.at,
    lastTs: T0 + (s.end ?? s.at),
    detectedTs: T0 + (s.end ?? s.at),
    severity: s.severity ?? 'high',
    title: `title ${id}`,
    explanation: `explanation ${id}.`,
    techniques: [Technique.UNAUTHORIZED_COMMAND],
    hosts: [...(s.hosts ?? [])],
    cranes: [...(s.cranes ?? [])],
    evidence: [],
    count: 1,
    action: `action ${id}`,
    incidentId: '',
  };
}

/** Fresh copies (groupIncidents sets `incidentId`) in the given order. */
const copies = (fs: readonly Finding[]): Finding[] => fs.map((f) => ({ ...f, hosts: [...f.hosts], cranes: [...f.cranes], incidentId: '' }));

const zone = (ip: string): string => (ip.startsWith('10.20.') ? 'crane-control' : 'internet');

/** The incidents as finding-id groups, e.g. [['m1', 'm2'], ['l1']]. */
const groups = (incs: readonly Incident[]): string[][] => incs.map((i) => i.findingIds);

/** Every rotation and the reverse of `fs`: input orders the result must not depend on. */
function orders(fs: readonly Finding[]): Finding[][] {
  const out: Finding[][] = [];
  for (let r = 0; r < fs.length; r++) out.push(copies([...fs.slice(r), ...fs.slice(0, r)]));
  out.push(copies([...fs].reverse()));
  return out;
}

/** Groups every input order of `fs` and checks they agree; returns the incidents of the first. */
function group(fs: readonly Finding[]): Incident[] {
  const [first, ...rest] = orders(fs).map((o) => groupIncidents(o, zone));
  for (const other of rest) assert.deepEqual(other, first, 'the same findings in another order give the same incidents');
  return first;
}

describe('groupIncidents', () => {
  it('a modem and a laptop on one crane are two stories: the laptop\u2019s write joins its own actor, whichever came first', () => {
    // The trial run: the modem's finding on STS-01 opens A; the laptop's rogue_device (no crane) opens B;
    // the laptop's write to STS-01 matches A by crane and B by actor: it belongs to B.
    const modemFirst = [
      finding('m1', { detector: 'egress_violation', at: 100, end: 900, hosts: [MODEM, CLOUD], cranes: ['STS-01'] }),
      finding('l1', { detector: 'rogue_device', at: 200, hosts: [LAPTOP] }),
      finding('l2', { detector: 'unauthorized_write', at: 300, hosts: [LAPTOP, PLC1], cranes: ['STS-01'], severity: 'critical' }),
    ];
    const incs = group(modemFirst);
    assert.deepEqual(groups(incs), [['m1'], ['l1', 'l2']]);
    assert.deepEqual(incs[1].hosts, [LAPTOP, PLC1]);
    assert.deepEqual([incs[1].severity, incs[1].title, incs[1].leadId], ['critical', 'title l2', 'l2']);
    assert.deepEqual(incs[1].cranes, ['STS-01']);
    assert.equal(incs[0].id, hashId('I', 'm1'));
    assert.equal(incs[1].id, hashId('I', 'l1'), 'the id comes from the earliest finding');

    // The other time order: the laptop's write comes first, then the modem, then the laptop is seen as a rogue device.
    const laptopFirst = [
      finding('l2', { detector: 'unauthorized_write', at: 100, hosts: [LAPTOP, PLC1], cranes: ['STS-01'], severity: 'critical' }),
      finding('m1', { detector: 'egress_violation', at: 150, end: 900, hosts: [MODEM, CLOUD], cranes: ['STS-01'] }),
      finding('l1', { detector: 'rogue_device', at: 200, hosts: [LAPTOP] }),
    ];
    assert.deepEqual(groups(group(laptopFirst)), [['l2', 'l1'], ['m1']]);
  });

  it('a finding naming both actors merges their stories', () => {
    const fs = [
      finding('m1', { detector: 'egress_violation', at: 100, hosts: [MODEM, CLOUD], cranes: ['STS-01'] }),
      finding('l1', { detector: 'rogue_device', at: 200, hosts: [LAPTOP] }),
      finding('l2', { detector: 'conduit_violation', at: 300, hosts: [LAPTOP, MODEM] }),
    ];
    const incs = group(fs);
    assert.deepEqual(groups(incs), [['m1', 'l1', 'l2']]);
    assert.deepEqual(incs[0].hosts, [MODEM, LAPTOP, CLOUD], 'actors first');
    assert.deepEqual(incs[0].zones, ['crane-control', 'crane-control', 'internet']);
    // Named more than INCIDENT_GAP_SEC after the modem's last finding: no merge.
    const late = [fs[0], fs[1], finding('l2', { detector: 'conduit_violation', at: 100 + INCIDENT_GAP_SEC + 1, hosts: [LAPTOP, MODEM] })];
    assert.deepEqual(groups(group(late)), [['m1'], ['l1', 'l2']]);
  });

  it('chains merge transitively: A\u2013B\u2013C by one actor over longer than the gap, and X\u2013Y\u2013Z by actors naming each other', () => {
    const a = finding('a', { detector: 'recon_scan', at: 0, hosts: [LAPTOP, PLC1] });
    const b = finding('b', { detector: 'recon_scan', at: 800, hosts: [LAPTOP, PLC1] });
    const c = finding('c', { detector: 'unauthorized_write', at: 1600, hosts: [LAPTOP, PLC1] });
    const incs = group([a, b, c]);
    assert.deepEqual(groups(incs), [['a', 'b', 'c']], 'a and c are 1600 s apart, joined through b');
    assert.equal(incs[0].id, hashId('I', 'a'));
    assert.deepEqual([incs[0].firstTs, incs[0].lastTs], [T0, T0 + 1600]);
    assert.deepEqual(groups(group([a, c])), [['a'], ['c']], 'without b: two incidents');

    const x = finding('x', { detector: 'rogue_device', at: 0, hosts: ['10.0.0.1'] });
    const y = finding('y', { detector: 'conduit_violation', at: 10, hosts: ['10.0.0.2', '10.0.0.1'] });
    const z = finding('z', { detector: 'conduit_violation', at: 20, hosts: ['10.0.0.3', '10.0.0.2'] });
    const w = finding('w', { detector: 'rogue_device', at: 30, hosts: ['10.0.0.3'] });
    assert.deepEqual(groups(group([x, y, z, w])), [['x', 'y', 'z', 'w']]);
    assert.deepEqual(groups(group([x, z, w])), [['x'], ['z', 'w']], 'without y nothing ties 10.0.0.1 to the others');
  });

  it('crane-only findings join the crane\u2019s incident closest in time, and never bridge two actors', () => {
    const m1 = finding('m1', { detector: 'egress_violation', at: 0, end: 100, hosts: [MODEM, CLOUD], cranes: ['STS-01'] });
    const l1 = finding('l1', { detector: 'unauthorized_write', at: 600, hosts: [LAPTOP, PLC1], cranes: ['STS-01'] });
    const s1 = finding('s1', { detector: 'sensor_integrity', at: 550, end: 580, cranes: ['STS-01'] });
    const s2 = finding('s2', { detector: 'sensor_integrity', at: 150, cranes: ['STS-01'] });
    const other = finding('o1', { detector: 'crane_silence', at: 560, cranes: ['STS-02'] });
    const incs = group([m1, l1, s1, s2, other]);
    assert.deepEqual(groups(incs), [['m1', 's2'], ['s1', 'l1'], ['o1']]);
    assert.deepEqual(incs[1].hosts, [LAPTOP, PLC1]);
    assert.equal(incs[1].id, hashId('I', 's1'), 'the crane-only finding is the incident\u2019s earliest');
    // Equally close to both (a tie): the earlier incident.
    const tie = finding('t1', { detector: 'sensor_integrity', at: 350, cranes: ['STS-01'] });
    const l2 = finding('l2', { detector: 'unauthorized_write', at: 600, hosts: [LAPTOP, PLC1], cranes: ['STS-01'] });
    const m2 = finding('m2', { detector: 'egress_violation', at: 0, end: 100, hosts: [MODEM, CLOUD], cranes: ['STS-01'] });
    assert.deepEqual(groups(group([m2, l2, tie])), [['m2', 't1'], ['l2']], '250 s to the modem, 250 s to the laptop: the incident whose earliest finding is earliest');
  });

  it('crane-only findings alone on a crane are one incident; each joins one actor by crane; two actors are never joined by crane', () => {
    const s1 = finding('s1', { detector: 'sensor_integrity', at: 0, cranes: ['STS-02'] });
    const s2 = finding('s2', { detector: 'unexpected_stop', at: 400, cranes: ['STS-02'] });
    const s3 = finding('s3', { detector: 'sensor_integrity', at: 400 + INCIDENT_GAP_SEC + 1, cranes: ['STS-02'] });
    const none = finding('n', { detector: 'dns_tunnel', at: 30 });
    assert.deepEqual(groups(group([s1, s2, s3, none])), [['s1', 's2'], ['n'], ['s3']]);

    // Two actors on STS-02 (the engine test's c and d): s1 is closer to a, s2 to b; a and b stay apart.
    const a = finding('a', { detector: 'recon_scan', at: 10, hosts: ['10.10.2.99', PLC2], cranes: ['STS-02'] });
    const b = finding('b', { detector: 'recon_scan', at: 20, hosts: ['10.10.7.7', PLC2], cranes: ['STS-02'] });
    assert.deepEqual(groups(group([s1, s2, s3, a, b, none])), [['s1', 'a'], ['b', 's2'], ['n'], ['s3']]);
    assert.deepEqual(groups(group([a, b])), [['a'], ['b']]);

    // A crane-only finding beyond the gap from every actor joins the crane-only finding that joined one.
    const near = finding('s4', { detector: 'sensor_integrity', at: 10 + 850, cranes: ['STS-02'] });
    const far = finding('s5', { detector: 'sensor_integrity', at: 10 + 1700, cranes: ['STS-02'] });
    assert.deepEqual(groups(group([a, near, far])), [['a', 's4', 's5']]);
  });

  it('splits one actor\u2019s findings more than INCIDENT_GAP_SEC after the latest end, not at exactly the gap', () => {
    const a = finding('a', { detector: 'recon_scan', at: 0, end: 100, hosts: [LAPTOP, PLC1] });
    const b = finding('b', { detector: 'recon_scan', at: 100 + INCIDENT_GAP_SEC, hosts: [LAPTOP, PLC1] });
    const c = finding('c', { detector: 'recon_scan', at: 100 + 2 * INCIDENT_GAP_SEC + 1, hosts: [LAPTOP, PLC1] });
    const incs = group([a, b, c]);
    assert.deepEqual(groups(incs), [['a', 'b'], ['c']]);
    assert.deepEqual(
      incs.map((i) => i.id),
      [hashId('I', 'a'), hashId('I', 'c')],
    );
    // A long finding keeps its actor's chain open until its end.
    const long = finding('a', { detector: 'rogue_device', at: 0, end: 5000, hosts: [LAPTOP] });
    const after = finding('d', { detector: 'recon_scan', at: 5000 + INCIDENT_GAP_SEC, hosts: [LAPTOP, PLC1] });
    assert.deepEqual(groups(group([long, after])), [['a', 'd']]);
  });

  it('keeps the lead rules: severity, then what was done to the cranes, then the earliest; sets incidentId and the summary', () => {
    const fs = copies([
      finding('f1', { detector: 'conduit_violation', at: 0, hosts: [LAPTOP, PLC1] }),
      finding('f2', { detector: 'unauthorized_write', at: 10, hosts: [LAPTOP, PLC1] }),
      finding('f3', { detector: 'plc_command', at: 20, hosts: [LAPTOP, PLC1] }),
    ]);
    const [inc] = groupIncidents(fs, zone);
    assert.deepEqual([inc.title, inc.action, inc.leadId], ['title f2', 'action f2', 'f2'], 'equal weight: the earlier');
    assert.equal(inc.summary, 'explanation f2. 2 related findings: title f1; title f3.');
    assert.deepEqual(inc.detectors, ['conduit_violation', 'unauthorized_write', 'plc_command']);
    assert.deepEqual(inc.techniques.map((t) => t.id), [Technique.UNAUTHORIZED_COMMAND.id]);
    assert.ok(fs.every((f) => f.incidentId === inc.id));
    const worse = copies([...fs, finding('f4', { detector: 'rogue_device', at: 30, hosts: [LAPTOP], severity: 'critical' })]);
    const [inc2] = groupIncidents(worse, zone);
    assert.deepEqual([inc2.title, inc2.severity], ['title f4', 'critical'], 'severity first');
  });

  it('an empty list gives no incidents', () => {
    assert.deepEqual(groupIncidents([], zone), []);
  });
});
