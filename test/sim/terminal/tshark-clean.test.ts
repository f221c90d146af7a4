import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LinkType } from '../../../src/capture/packet.js';
import { PcapWriter } from '../../../src/capture/pcap-writer.js';
import { generateTerminal } from '../../../src/sim/terminal/terminal.js';
import { haveTshark } from '../../helpers/shared-data.js';
import { tsharkFields } from '../tshark.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-tshark-clean-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// 15 minutes of 4 cranes with three scenarios: rogue Modbus writes, a register scan and container
// records POSTed to an outside address. Window updates and keep-alives are ordinary TCP and not
// counted; anything else tshark's TCP analysis flags (retransmission, duplicate ACK, out-of-order,
// ACKed unseen segment, previous segment not captured, zero window …) would be a twin bug.
const file = join(dir, 'clean.pcap');
const writer = PcapWriter.toFile(file, { linkType: LinkType.ETHERNET });
const { truth } = generateTerminal(writer, {
  seed: 1,
  durationSec: 900,
  cranes: 4,
  scenarios: [
    { name: 'unauthorized-write', params: { start: 120, duration: 300 } },
    { name: 'recon', params: { variant: 'register-scan', start: 200, duration: 300 } },
    { name: 'container-exfil', params: { channel: 'http', start: 300, duration: 500 } },
  ],
});
writer.close();

const TCP_PROBLEMS = 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack';
const count = (filter: string): number => tsharkFields(file, filter, ['frame.number']).length;
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

test('tshark: no TCP analysis problem flags, no malformed frames, no expert errors', (t) => {
  if (!haveTshark(t)) return;
  assert.deepEqual(tsharkFields(file, TCP_PROBLEMS, ['frame.number', '_ws.expert.message']), []);
  assert.deepEqual(tsharkFields(file, '_ws.malformed || _ws.expert.severity >= error', ['frame.number', '_ws.expert.message']), []);
  assert.ok(count('tcp') > 10_000, 'the run has TCP traffic to analyse');
});

test('tshark: HTTP, MQTT, DNS and Modbus counts equal the truth', (t) => {
  if (!haveTshark(t)) return;
  const scen = truth.scenarios;
  assert.equal(scen.length, 3);
  const exfil = scen.find((s) => s.exfil !== undefined)?.exfil;
  assert.ok(exfil !== undefined && exfil.messages.length > 0);

  // HTTP: the TOS API (POSTs answered 201, work-order GETs answered 200), the AS2 messages, the leak.
  const api = truth.httpRequests;
  assert.equal(count('http.request && tcp.dstport == 8080'), api.length);
  assert.equal(count('http.request.method == "GET" && tcp.dstport == 8080'), api.filter((h) => h.method === 'GET').length);
  assert.equal(count('http.response.code == 201 && tcp.srcport == 8080'), api.filter((h) => h.method === 'POST').length);
  assert.equal(count('http.response.code == 200 && tcp.srcport == 8080'), truth.workOrders.length);
  assert.equal(count('http.request.uri == "/as2/inbound"'), truth.coarriReports.length + truth.baplieMessages.length);
  assert.equal(count(`http.request && ip.dst == ${exfil.dst}`), exfil.messages.length);
  assert.equal(count('http.request'), api.length + truth.coarriReports.length + truth.baplieMessages.length + exfil.messages.length);

  // MQTT PUBLISH of the CMS's historian feed.
  assert.equal(count('mqtt.msgtype == 3'), sum(truth.mqttPublishes.map((m) => m.publishes)));

  // DNS queries and answers.
  assert.equal(count('dns.flags.response == 0'), truth.dnsQueries.length);
  assert.equal(count('dns.flags.response == 1'), truth.dnsQueries.length);

  // Modbus: the CMS's polls, the cab HMIs' writes and the scenarios' requests; writes by function code.
  const hmiWrites = truth.modbusWrites.filter((w) => w.scenario === undefined).length;
  const requests = sum(truth.polls.map((p) => p.requests)) + hmiWrites + sum(scen.map((s) => s.modbusRequests));
  assert.equal(count('mbtcp && tcp.dstport == 502'), requests);
  assert.equal(count('(modbus.func_code == 5 || modbus.func_code == 6 || modbus.func_code == 15 || modbus.func_code == 16) && tcp.dstport == 502'), truth.modbusWrites.length);
  assert.equal(sum(scen.map((s) => s.modbusWrites)), truth.modbusWrites.length - hmiWrites);
});
