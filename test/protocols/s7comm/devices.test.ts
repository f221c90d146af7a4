import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import type { LogRecord } from '../../../src/events/record.js';
import { analyzeCaptures } from '../../../src/pipeline/analyze.js';
import { S7commAnalyzer } from '../../../src/protocols/s7comm/analyzer.js';
import { firmwareText, isIdentitySzl, KnownDevice } from '../../../src/protocols/s7comm/devices.js';
import { KNOWN_DEVICES_STREAM } from '../../../src/protocols/s7comm/log.js';
import { haveTshark, sharedFile } from '../../helpers/shared-data.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { hex, noisy, SZL_11_RESPONSE, SZL_1C_FIRST, SZL_1C_LAST, SZL_1C_NEXT_REQUEST, SZL_REQUEST } from './fixtures.js';

const ID = { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 102, proto: 'tcp' as const };
const FLOW = { uid: 'CS7', origH: ID.orig_h, origP: ID.orig_p, respH: ID.resp_h, respP: ID.resp_p };

/** The identity fields of a `s7comm_known_devices` record, in schema order after ICSNPP's side fields. */
const IDENTITY_FIELDS = KNOWN_DEVICES_STREAM.fields.map((f) => f.name).slice(KNOWN_DEVICES_STREAM.fields.findIndex((f) => f.name === 'automation_system_name'));

const pick = (r: LogRecord): Record<string, unknown> => Object.fromEntries(IDENTITY_FIELDS.map((f) => [f, r[f]]));

test('analyzer: SZL 0x0011 gives the order number, hardware and firmware versions; SZL 0x001c every component record', () => {
  const ctx = new FakeFlowContext('CS7', ID);
  const a = new S7commAnalyzer(ctx);
  a.deliver(true, SZL_REQUEST, 1);
  a.deliver(false, noisy(SZL_11_RESPONSE), 2);
  a.deliver(false, noisy(SZL_1C_FIRST), 3);
  a.deliver(true, SZL_1C_NEXT_REQUEST, 4);
  a.deliver(false, noisy(SZL_1C_LAST), 5);
  a.end(9);
  assert.deepEqual(
    ctx.stream('s7comm_read_szl').map((r) => [r.method, r.szl_id, r.szl_index, r.return_code]),
    [
      ['Request', '0x0011', '0x0000', '0xff'],
      ['Response', '0x0011', '0x0000', '0xff'],
      ['Response', '0x001c', '0x0000', '0xff'],
    ],
  );
  const devices = ctx.stream('s7comm_known_devices');
  assert.equal(devices.length, 1);
  const [dev] = devices;
  assert.deepEqual([dev.source_h, dev.destination_h, dev.is_orig], ['10.0.0.2', '10.0.0.1', false], 'the PLC (responder) is the source');
  assert.deepEqual(pick(dev), {
    automation_system_name: 'S7300/ET200M station_1',
    module_name: 'PLC_1',
    plant_name: '',
    module_serial: 'S C-B1U393142011',
    module_type_name: 'CPU 315-2 PN/DP',
    order_number: '6ES7 315-2EH14-0AB0',
    hardware_version: 3,
    firmware_version: 'V 3.2.7',
    copyright: 'Original Siemens Equipment',
    memory_card_serial: 'MMC 4A1AC019',
    manufacturer_id: 0x2a,
    profile_id: 0xf600,
    profile_specific_type: 1,
    oem_copyright: '',
    oem_id: 0,
    oem_additional_id: 0,
    location: '',
  });
  assert.deepEqual(Object.keys(dev), KNOWN_DEVICES_STREAM.fields.map((f) => f.name), 'the record has the schema\u2019s fields, in order');
});

test('analyzer: a flow with only SZL 0x0011 still writes its identity; lists of other SZL ids do not', () => {
  const ctx = new FakeFlowContext('CS7', ID);
  const a = new S7commAnalyzer(ctx);
  a.deliver(false, SZL_11_RESPONSE, 1);
  a.end(2);
  const [dev] = ctx.stream('s7comm_known_devices');
  assert.deepEqual([dev.order_number, dev.firmware_version, dev.module_type_name, dev.automation_system_name], ['6ES7 315-2EH14-0AB0', 'V 3.2.7', null, null]);

  // The same bytes announced as SZL 0x0132 (communication status): not an identity list.
  const other = SZL_11_RESPONSE.slice();
  other[33] = 0x01;
  other[34] = 0x32;
  const ctx2 = new FakeFlowContext('CS7', ID);
  const a2 = new S7commAnalyzer(ctx2);
  a2.deliver(false, other, 1);
  a2.end(2);
  assert.equal(ctx2.stream('s7comm_read_szl')[0].szl_id, '0x0132');
  assert.equal(ctx2.stream('s7comm_known_devices').length, 0);
});

test('KnownDevice: module records split anywhere across deliveries from sub-views are joined', () => {
  // The four 28-byte records of SZL_11_RESPONSE (they start after TPKT, COTP, header, parameter, data head and SZL header).
  const records = SZL_11_RESPONSE.subarray(41);
  assert.equal(records.length, 4 * 28);
  for (const cut of [1, 2, 21, 27, 28, 29, 55, 100]) {
    const d = new KnownDevice(1024);
    assert.equal(d.begin(0x0011, 28), true);
    const first = noisy(records.subarray(0, cut));
    const rest = noisy(records.subarray(cut));
    assert.notEqual(first.byteOffset, 0);
    d.feed(first, 0, first.length);
    d.feed(rest, 0, rest.length);
    const r = d.toRecord(FLOW, 1);
    assert.deepEqual([r.order_number, r.hardware_version, r.firmware_version], ['6ES7 315-2EH14-0AB0', 3, 'V 3.2.7'], `cut at ${cut}`);
  }
});

test('KnownDevice: record lengths too short for the list are refused; short 0x001c records are read as far as they go', () => {
  const d = new KnownDevice(1024);
  assert.equal(d.begin(0x0011, 27), false, 'a module record needs 28 bytes');
  assert.equal(d.begin(0x001c, 25), false, 'a component record needs index + 24 bytes');
  assert.equal(d.begin(0x0132, 40), false, 'not an identity list');
  assert.equal(d.begin(0x001c, 257), false, 'longer than MAX_SZL_RECORD_BYTES');
  assert.equal(d.seen, false);

  assert.equal(d.begin(0x011c, 28), true, 'partial list extract 0x011c is component identification too');
  const rec = hex(`
    000a  // index 10: OEM copyright, OEM ids
    41434d4500000000000000000000000000000000000000000000  // OEM copyright "ACME" + NULs (26 bytes): the 28-byte record ends before the OEM ids
    0003  // index 3: plant designation (32 bytes wide; 26 in this record)
    4b41494e4f52442d303100000000000000000000000000000000  // "KAINORD-01" + NULs (26 bytes)
  `);
  d.feed(noisy(rec), 0, rec.length);
  const r = d.toRecord(FLOW, 1);
  assert.deepEqual([r.oem_copyright, r.oem_id, r.oem_additional_id, r.plant_name], ['ACME', null, null, 'KAINORD-01']);
  assert.equal(d.seen, true);
});

test('firmwareText: a printable first Ausbg byte is the version letter; otherwise the numbers alone', () => {
  assert.equal(firmwareText(0x56, 3, 2, 6), 'V 3.2.6');
  assert.equal(firmwareText(0x41, 32, 9, 9), 'A 32.9.9');
  assert.equal(firmwareText(0x00, 4, 1, 0), '4.1.0');
  assert.equal(isIdentitySzl(0x0011) && isIdentitySzl(0x0111) && isIdentitySzl(0x001c) && !isIdentitySzl(0x0074), true);
});

/** What tshark's S7comm SZL dissector shows for each identity response in `file`, by answering host. */
function tsharkIdentity(file: string): Map<string, Record<string, unknown>> {
  const fields = [
    'ip.src', 's7comm.szl.xy11.0001.index', 's7comm.szl.xy11.0001.anz', 's7comm.szl.xy11.0001.ausbg', 's7comm.szl.xy11.0001.ausbe',
    's7comm.szl.001c.0001.name', 's7comm.szl.001c.0002.name', 's7comm.szl.001c.0005.serialn', 's7comm.szl.001c.0007.cputypname',
    's7comm.szl.001c.0004.copyright', 's7comm.szl.001c.0008.snmcmmc', 's7comm.szl.001c.0009.manufacturer_id',
  ];
  const res = spawnSync('tshark', ['-r', file, '-Y', 's7comm.szl.xy11.0001.index || s7comm.szl.001c.000x.index', '-T', 'fields', '-E', 'separator=/t', '-E', 'aggregator=|', ...fields.flatMap((f) => ['-e', f])], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  assert.equal(res.status, 0, res.stderr);
  const out = new Map<string, Record<string, unknown>>();
  for (const line of res.stdout.split('\n')) {
    if (line === '') continue;
    const [host, index, anz, ausbg, ausbe, asName, modName, serial, typeName, copyright, mmc, manufacturer] = line.split('\t');
    const e = out.get(host) ?? {};
    out.set(host, e);
    const idx = index === '' ? [] : index.split('|').map(Number);
    const mlfb = anz.split('|');
    const g = ausbg.split('|').map(Number);
    const v = ausbe.split('|').map(Number);
    idx.forEach((i, k) => {
      if (i === 1) e.order_number = mlfb[k].trimEnd();
      if (i === 6) e.hardware_version = g[k];
      if (i === 7) e.firmware_version = firmwareText(g[k] >> 8, g[k] & 0xff, v[k] >> 8, v[k] & 0xff);
    });
    if (typeName !== '') Object.assign(e, { automation_system_name: asName, module_name: modName, module_serial: serial, module_type_name: typeName, copyright, memory_card_serial: mmc, manufacturer_id: Number(manufacturer) });
  }
  return out;
}

test('real captures: identity of every S7 CPU answering SZL 0x0011 / 0x001c agrees with tshark', async (t) => {
  // Every shared capture with a Read SZL 0x0011 response (found with tshark -Y 's7comm.data.userdata.szl_id == 0x0011').
  const files = [
    'icsnpp/s7comm/traces/snap7.pcap',
    'iti-ics-pcaps/s7/s7comm_reading_plc_status.pcap',
    'iti-ics-pcaps/s7/tia_s300_goOnline.pcapng',
    'iti-ics-pcaps/s7/snap7_s300_everything.pcapng',
  ];
  const paths = files.map((f) => sharedFile(t, f));
  if (paths.some((p) => p === null) || !haveTshark(t)) return;
  const orderNumbers = new Set<string>();
  for (const file of paths as string[]) {
    const rows: LogRecord[] = [];
    await analyzeCaptures([file], {
      sink: {
        write(stream, record) {
          if (stream === 's7comm_known_devices') rows.push(record);
        },
        async close() {},
      },
    });
    const peer = tsharkIdentity(file);
    assert.ok(rows.length > 0, `${file}: no s7comm_known_devices record`);
    // Each record holds what its flow's SZL reads told (null for the rest); tshark's view of a host is
    // every flow's together, so each of its fields must be in some record of that host.
    const told = new Map<string, Set<string>>();
    for (const r of rows) {
      const expected = peer.get(r.source_h as string);
      assert.ok(expected !== undefined, `${file}: tshark saw no identity answered by ${String(r.source_h)}`);
      for (const [k, v] of Object.entries(expected)) {
        if (r[k] === null) continue;
        assert.deepEqual(r[k], v, `${file} ${String(r.source_h)} ${k}`);
        const seen = told.get(r.source_h as string) ?? new Set<string>();
        told.set(r.source_h as string, seen.add(k));
      }
      if (typeof r.order_number === 'string') orderNumbers.add(`${r.order_number} ${String(r.firmware_version)}`);
    }
    for (const [host, expected] of peer) {
      for (const k of Object.keys(expected)) assert.ok(told.get(host)?.has(k), `${file} ${host}: no record gives ${k}, which tshark decodes`);
    }
  }
  assert.deepEqual([...orderNumbers].sort(), ['6ES7 151-8AB01-0AB0 V 3.2.6', '6ES7 315-2EH14-0AB0 V 3.2.7']);
});
