import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CwError } from '../../src/errors.js';
import { validateSite } from '../../src/policy/site-file.js';
import { SitePolicy } from '../../src/policy/site-policy.js';
import { demoSiteFile } from '../../src/sim/demo-site-file.js';
import { buildTerminalSite } from '../../src/sim/terminal/terminal-site.js';

describe('SitePolicy', () => {
  const demo = new SitePolicy(validateSite(demoSiteFile()));

  it('zones: an asset’s own zone, else the longest matching block, the outside for the rest', () => {
    assert.equal(demo.zoneOf('10.10.2.11')?.id, 'crane-control');
    assert.equal(demo.zoneOf('10.10.2.200')?.id, 'crane-control', '/24 beats /16');
    assert.equal(demo.zoneOf('10.10.9.66')?.id, 'terminal-lan');
    assert.equal(demo.zoneOf('203.0.113.50')?.kind, 'outside');
    assert.equal(demo.zoneOf('fe80::1'), null, 'site files are IPv4');
  });

  it('conduits: same zone always, others only as listed', () => {
    const z = (ip: string) => demo.zoneOf(ip)!;
    assert.ok(demo.conduitAllows(z('10.10.1.10'), z('10.10.2.11'), 'tcp', 502));
    assert.ok(!demo.conduitAllows(z('10.10.1.10'), z('10.10.2.11'), 'tcp', 22));
    assert.ok(!demo.conduitAllows(z('10.10.2.11'), z('10.10.1.10'), 'tcp', 502), 'conduits are directed');
    assert.ok(demo.conduitAllows(z('10.10.2.11'), z('10.10.2.12'), 'udp', 123));
  });

  it('PLC clients: explicit rules resolved to register ranges; derived from roles without them', () => {
    const sts01 = demo.clientsOf('STS-01');
    const hmi = sts01.find((c) => c.asset === 'sts-hmi');
    assert.deepEqual(hmi?.writes.map((w) => [w.signal, w.first, w.last]), [['wind_stop_threshold', 100, 100], ['hoist_speed_limit', 101, 101]]);
    assert.ok(hmi?.explicit);
    const twin = new SitePolicy(validateSite(buildTerminalSite(2)));
    const derived = twin.clientsOf('STS-01');
    assert.ok(derived.length >= 2 && derived.every((c) => !c.explicit));
    assert.ok(derived.some((c) => c.functions.has(3) && c.writes.length === 0), 'a reader');
    assert.ok(derived.some((c) => c.functions.has(6) && c.writes.length > 0), 'the crane’s HMI writes its setpoints');
  });

  it('maintenance windows: weekly local times across daylight saving, and one-off intervals, per crane', () => {
    const p = new SitePolicy(
      validateSite({
        ...demoSiteFile(),
        maintenance_windows: [
          { weekdays: ['sun'], start: '02:00', end: '04:00', timezone: 'Europe/Amsterdam', cranes: ['STS-01'] },
          { from: '2025-06-01T10:00:00Z', to: '2025-06-01T11:00:00Z' },
        ],
      }),
    );
    // Sunday 2025-03-30: clocks go to summer time at 02:00 local (01:00Z); Sunday 2025-03-23 is winter time.
    assert.ok(p.inMaintenance('STS-01', Date.parse('2025-03-23T01:30:00Z') / 1000), '02:30 CET');
    assert.ok(!p.inMaintenance('STS-01', Date.parse('2025-03-23T03:30:00Z') / 1000), '04:30 CET');
    assert.ok(p.inMaintenance('STS-01', Date.parse('2025-04-06T00:30:00Z') / 1000), '02:30 CEST');
    assert.ok(!p.inMaintenance('STS-02', Date.parse('2025-03-23T01:30:00Z') / 1000), 'another crane');
    assert.ok(p.inMaintenance('STS-02', Date.parse('2025-06-01T10:30:00Z') / 1000));
  });

  it('a client rule naming an unknown asset or signal is refused with the field path', () => {
    const bad = demoSiteFile();
    bad.cranes[0].clients = [{ asset: 'nobody', functions: [3], writes: ['no_such_signal'] }];
    assert.throws(
      () => validateSite(bad),
      (e: unknown) => e instanceof CwError && /cranes\[0\]\.clients\[0\]\.asset: unknown asset "nobody"/.test(e.message) && /writes\[0\]: no register "no_such_signal"/.test(e.message),
    );
  });
});
