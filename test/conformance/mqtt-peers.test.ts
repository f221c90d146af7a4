/**
 * MQTT conformance against its peers (test/helpers/conformance/mqtt.ts): Zeek's expected logs for
 * zeek-ics-baselines/traces/mqtt.pcap (all three streams), tshark on every shared capture carrying MQTT,
 * on the digital twin's captures (MQTT 3.1.1 by default, 5.0 through the site file's
 * `historian_mqtt_version`) and on two hand-built sessions covering QoS 2, UNSUBSCRIBE, wills, v5
 * properties, subscription options and Topic Aliases. Every comparison must agree 100 %, with no
 * difference (none is accepted as a peer error).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { agreementRate, type CaptureAgreement, type ProtocolAgreement } from '../helpers/conformance/agreement.js';
import { mqttConformance, mqttTsharkAgreement } from '../helpers/conformance/mqtt.js';
import { haveTshark, REPO_ROOT, SHARED_DATA, sharedFile } from '../helpers/shared-data.js';
import { buildCapture } from '../protocols/mqtt/capture-builder.js';
import { V311_SESSION, V5_SESSION } from '../protocols/mqtt/sessions.js';

const tmp = mkdtempSync(join(tmpdir(), 'cranewatch-mqtt-peers-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

let shared: Promise<ProtocolAgreement[]> | null = null;
const conformance = (): Promise<ProtocolAgreement[]> => (shared ??= mqttConformance(SHARED_DATA));

function summary(captures: readonly CaptureAgreement[]): string {
  return captures.map((c) => `${c.capture} ${c.stream}: ${c.agreed}/${c.peerRecords}${c.differences.length > 0 ? '\n  ' + c.differences.join('\n  ') : ''}`).join('\n');
}

function assertAllAgree(captures: readonly CaptureAgreement[]): void {
  for (const c of captures) {
    assert.equal(c.matched, c.peerRecords, summary([c]));
    assert.equal(c.agreed, c.peerRecords, summary([c]));
    assert.deepEqual(c.differences, [], summary([c]));
  }
}

test('Zeek baseline scripts.base.protocols.mqtt.mqtt: mqtt_connect, mqtt_subscribe, mqtt_publish agree 100 %', async (t) => {
  if (sharedFile(t, 'zeek-ics-baselines/traces/mqtt.pcap') === null) return;
  const zeek = (await conformance()).find((p) => p.peer === 'zeek');
  assert.ok(zeek !== undefined);
  assert.deepEqual(
    zeek.captures.map((c) => [c.stream, c.peerRecords]),
    [
      ['mqtt_connect', 2],
      ['mqtt_subscribe', 1],
      ['mqtt_publish', 3],
    ],
  );
  assertAllAgree(zeek.captures);
  assert.equal(agreementRate(zeek), 1);
});

test('tshark on every shared capture carrying MQTT agrees 100 %', async (t) => {
  if (sharedFile(t, 'zeek-ics-baselines/traces/mqtt.pcap') === null || !haveTshark(t)) return;
  const ts = (await conformance()).find((p) => p.peer.startsWith('tshark'));
  assert.ok(ts !== undefined);
  const files = new Set(ts.captures.map((c) => c.capture));
  assert.ok(files.has('zeek-ics-baselines/traces/mqtt.pcap') && files.has('malcolm-pcap/protocols/MQTT.pcap'), [...files].join(', '));
  assertAllAgree(ts.captures);
  assert.equal(agreementRate(ts), 1);
  t.diagnostic(summary(ts.captures));
});

/** Run the twin's `simulate` command (fails the test when it fails). */
function simulate(args: string[]): void {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO_ROOT, 'src/cli/main.ts'), 'simulate', '--no-progress', '--force', ...args], { cwd: REPO_ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `simulate failed: ${r.stderr}`);
}

test('tshark on the twin capture (MQTT 3.1.1 telemetry, QoS 1) agrees 100 %', async (t) => {
  if (!haveTshark(t)) return;
  const pcap = join(tmp, 'twin-311.pcap');
  simulate(['--duration', '10m', '--seed', '3', '--out', pcap, '--truth', join(tmp, 'twin-311.json')]);
  const captures = await mqttTsharkAgreement(pcap, 'twin --duration 10m --seed 3');
  const publish = captures.find((c) => c.stream === 'mqtt_publish');
  assert.ok(publish !== undefined && publish.peerRecords > 100, summary(captures));
  assert.ok(captures.some((c) => c.stream === 'mqtt_connect'));
  assertAllAgree(captures);
});

test('tshark on the twin capture with historian_mqtt_version 5.0 (properties) agrees 100 %', async (t) => {
  if (!haveTshark(t)) return;
  const site = join(tmp, 'site.yaml');
  simulate(['--duration', '30s', '--seed', '3', '--out', join(tmp, 'site-probe.pcap'), '--site-out', site]);
  const text = readFileSync(site, 'utf8');
  const edited = text.replace(/^( {2}unlocode: .*)$/m, '$1\n  historian_mqtt_version: "5.0"');
  assert.notEqual(edited, text, 'site file has a site.unlocode line to extend');
  writeFileSync(site, edited);
  const pcap = join(tmp, 'twin-5.pcap');
  simulate(['--duration', '10m', '--seed', '3', '--site', site, '--out', pcap]);
  const captures = await mqttTsharkAgreement(pcap, 'twin --duration 10m --seed 3 (MQTT 5.0)');
  const publish = captures.find((c) => c.stream === 'mqtt_publish');
  assert.ok(publish !== undefined && publish.peerRecords > 100, summary(captures));
  assertAllAgree(captures);
});

test('tshark on hand-built 3.1.1 and 5.0 sessions (QoS 2, UNSUBSCRIBE, will, properties, Topic Alias) agrees 100 %', async (t) => {
  if (!haveTshark(t)) return;
  for (const [name, session, streams] of [
    ['v311', V311_SESSION, { mqtt_connect: 1, mqtt_subscribe: 2, mqtt_publish: 3 }],
    ['v5', V5_SESSION, { mqtt_connect: 1, mqtt_subscribe: 2, mqtt_publish: 2 }],
  ] as const) {
    const pcap = join(tmp, `${name}.pcap`);
    writeFileSync(pcap, buildCapture(session));
    const captures = await mqttTsharkAgreement(pcap, name);
    assert.deepEqual(Object.fromEntries(captures.map((c) => [c.stream, c.peerRecords])), streams, summary(captures));
    assertAllAgree(captures);
  }
});
