import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { CwError } from '../../../src/errors.js';
import { parseScenarioSpec, resolveScenario } from '../../../src/sim/scenarios/params.js';
import { listScenarios } from '../../../src/sim/scenarios/registry.js';
import { ATTACK_ICS_VERSION } from '../../../src/detect/attack.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';

const configError = (re: RegExp) => (e: unknown) => e instanceof CwError && e.code === 'CW_ERR_CONFIG' && re.test(e.message);

test('parseScenarioSpec: name alone, name:key=value pairs, and the errors', () => {
  assert.deepEqual(parseScenarioSpec('fleet-stop'), { name: 'fleet-stop', params: {} });
  assert.deepEqual(parseScenarioSpec('recon:variant=unit-id-sweep,start=600,crane=STS-02'), { name: 'recon', params: { variant: 'unit-id-sweep', start: '600', crane: 'STS-02' } });
  assert.throws(() => parseScenarioSpec(''), configError(/kebab-case scenario name/));
  assert.throws(() => parseScenarioSpec('Recon'), configError(/kebab-case/));
  assert.throws(() => parseScenarioSpec('recon:start'), configError(/^scenario recon: "start": expected key=value$/));
  assert.throws(() => parseScenarioSpec('recon:start=1,start=2'), configError(/^scenario recon: start: given twice$/));
});

test('resolveScenario: defaults, coercion from text, and errors naming scenario, key and reason', () => {
  const r = resolveScenario(parseScenarioSpec('recon:variant=register-scan,start=120,quantity=20'));
  assert.equal(r.definition.name, 'recon');
  assert.deepEqual(r.params, { start: 120, duration: 600, crane: 'STS-01', intensity: 5, variant: 'register-scan', from: 'enterprise', quantity: 20, lastAddress: 1999 });
  assert.equal(resolveScenario({ name: 'unauthorized-write', params: { start: 10 } }).params.action, 'stop-command');
  assert.throws(() => resolveScenario({ name: 'no-such', params: {} }), configError(/^scenario no-such: unknown scenario/));
  assert.throws(() => resolveScenario(parseScenarioSpec('recon:rate=3')), configError(/^scenario recon: rate: unknown parameter$/));
  assert.throws(() => resolveScenario(parseScenarioSpec('recon:variant=ping')), configError(/^scenario recon: variant: expected unit-id-sweep, function-code-sweep/));
  assert.throws(() => resolveScenario(parseScenarioSpec('recon:start=soon')), configError(/^scenario recon: start: expected seconds after the run start$/));
  assert.throws(() => resolveScenario(parseScenarioSpec('recon:intensity=11')), configError(/^scenario recon: intensity: expected an intensity 1–10 ≤ 10$/));
  assert.throws(() => resolveScenario(parseScenarioSpec('recon:quantity=2.5')), configError(/^scenario recon: quantity: expected registers per read \(an integer\)$/));
});

test('registry: kebab-case names, ATT&CK for ICS ids, benign scenarios expect nothing', () => {
  assert.equal(ATTACK_ICS_VERSION, 'v17');
  const names = listScenarios().map((d) => d.name);
  assert.deepEqual(names, ['unauthorized-write', 'recon', 'plc-stop', 'fleet-stop', 'container-exfil', 'covert-modbus', 'cellular-modem', 'sensor-wind-spoof', 'vendor-vpn-off-hours', 'sensor-encoder-freeze', 'sensor-encoder-drift', 'sensor-load-stuck', 'sensor-twistlock-mismatch', 'maintenance-write-in-window', 'crane-idle-at-shift-change', 'benign-gust', 'benign-new-hmi']);
  for (const d of listScenarios()) {
    assert.match(d.name, /^[a-z]+(-[a-z]+)*$/);
    for (const t of d.techniques) assert.match(t.id, /^T0\d{3}$/);
    if (d.kind === 'benign') assert.deepEqual([d.expected, d.techniques], [[], []]);
    else if (d.kind === 'fault') assert.ok(d.expected.length > 0, d.name); // a failure has no adversary, so no technique
    else assert.ok(d.expected.length > 0 && d.techniques.length > 0, d.name);
    const p = d.params.parse({});
    assert.ok(p.start >= 0 && p.duration > 0 && p.intensity >= 1, `${d.name} has the base parameters`);
  }
});

test('the terminal refuses scenarios it cannot play, naming them', () => {
  const w = PcapWriter.toMemory({ linkType: LinkType.ETHERNET });
  const run = (scenarios: Array<{ name: string; params: Record<string, unknown> }>, durationSec = 600) => () => generateTerminal(w, { seed: 1, durationSec, cranes: 3, scenarios });
  assert.throws(run([{ name: 'recon', params: { start: 600 } }]), configError(/^scenario recon#1: start: 600 s is not inside the run \(600 s\)$/));
  assert.throws(run([{ name: 'recon', params: { start: 100, duration: 501 } }]), configError(/^scenario recon#1: start \+ duration = 601 s runs past the end of the run/));
  assert.throws(run([{ name: 'fleet-stop', params: { start: 10, duration: 60 } }, { name: 'fleet-stop', params: { start: 590 } }]), configError(/^scenario fleet-stop#2: start \+ duration/));
  assert.throws(run([{ name: 'recon', params: { start: 10, duration: 60, crane: 'STS-09' } }]), configError(/^scenario recon#1: crane: no crane STS-09 \(cranes: STS-01, STS-02, STS-03\)$/));
  assert.throws(run([{ name: 'plc-stop', params: { start: 10, duration: 60, crane: 'STS-02' } }]), configError(/^scenario plc-stop#1: crane: STS-02's PLC \(Siemens AG\) does not speak UMAS; choose a Schneider Electric crane \(STS-01\)$/));
  assert.throws(run([{ name: 'crane-idle-at-shift-change', params: { start: 10, duration: 300 } }]), configError(/duration: expected 600–1200 s/));
  assert.throws(run([{ name: 'maintenance-write-in-window', params: { duration: 300 } }]), configError(/^scenario maintenance-write-in-window#1: start: no maintenance window/));
});
