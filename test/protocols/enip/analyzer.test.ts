import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnipDatagramAnalyzer, EnipStreamAnalyzer, RETAINED_CARRY_BYTES } from '../../../src/protocols/enip/analyzer.js';
import { FakeFlowContext } from '../modbus/fake-context.js';
import { GAA_IDENTITY_REP, GAA_IDENTITY_REQ, IO_DATAGRAM, LIST_IDENTITY_REP, MSP_REP, MSP_REQ, REGISTER_SESSION_REP, REGISTER_SESSION_REQ, concat, hex, noisy } from './fixtures.js';

const TCP = { orig_h: '10.0.0.1', orig_p: 50000, resp_h: '10.0.0.2', resp_p: 44818, proto: 'tcp' as const };

function stream(limits = {}): { ctx: FakeFlowContext; a: EnipStreamAnalyzer } {
  const ctx = new FakeFlowContext('CEnip', TCP, limits);
  return { ctx, a: new EnipStreamAnalyzer(ctx) };
}

/** The content fields of a record (no ts / uid / id.*). */
function content(r: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (!['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'source_h', 'source_p', 'destination_h', 'destination_p'].includes(k)) o[k] = v;
  return o;
}

test('RegisterSession request and reply: two enip rows in schema order, service enip', () => {
  const { ctx, a } = stream();
  a.deliver(true, noisy(REGISTER_SESSION_REQ), 1.5);
  a.deliver(false, noisy(REGISTER_SESSION_REP), 1.6);
  assert.deepEqual(ctx.services, ['enip']);
  const rows = ctx.stream('enip');
  assert.equal(rows.length, 2);
  assert.deepEqual(Object.keys(rows[0]), ['ts', 'uid', 'id.orig_h', 'id.orig_p', 'id.resp_h', 'id.resp_p', 'is_orig', 'source_h', 'source_p', 'destination_h', 'destination_p', 'enip_command_code', 'enip_command', 'length', 'session_handle', 'enip_status', 'sender_context', 'options']);
  assert.deepEqual(content(rows[0]), { is_orig: true, enip_command_code: '0x65', enip_command: 'Register Session', length: 4, session_handle: '0x00000000', enip_status: 'Success', sender_context: '0x0102030405060708', options: '0x00000000' });
  assert.equal(rows[1].session_handle, '0x12345678');
  assert.equal(rows[1].source_h, '10.0.0.2');
  assert.equal(rows[1].destination_p, 50000);
  assert.deepEqual(ctx.anomalies, []);
});

test('Get_Attributes_All to the Identity object: cip rows and a cip_identity row from the reply', () => {
  const { ctx, a } = stream();
  a.deliver(true, noisy(GAA_IDENTITY_REQ), 2);
  a.deliver(false, noisy(GAA_IDENTITY_REP), 2.1);
  const cip = ctx.stream('cip').map(content);
  assert.deepEqual(cip, [
    { is_orig: true, cip_sequence_count: null, direction: 'request', cip_service_code: '0x01', cip_service: 'Get Attributes All', cip_status_code: null, cip_status: null, cip_extended_status_code: null, cip_extended_status: null, class_id: '0x01', class_name: 'Identity', instance_id: '0x01', attribute_id: null },
    { is_orig: false, cip_sequence_count: null, direction: 'response', cip_service_code: '0x01', cip_service: 'Get Attributes All', cip_status_code: '0x00', cip_status: 'Success', cip_extended_status_code: null, cip_extended_status: null, class_id: null, class_name: null, instance_id: null, attribute_id: null },
  ]);
  assert.deepEqual(ctx.stream('cip_identity').map(content), [
    { is_orig: false, encapsulation_version: null, socket_address: null, socket_port: null, vendor_id: 1, vendor_name: 'Rockwell Automation/Allen-Bradley', device_type_id: 14, device_type_name: 'Programmable Logic Controller', product_code: 54, revision: '20.11', device_status: '0x3060', serial_number: '0x003a8fae', product_name: '1756-L61/B', device_state: '0x0003' },
  ]);
});

test('a Get_Attributes_All reply without a request to the Identity object writes no identity', () => {
  const { ctx, a } = stream();
  a.deliver(false, GAA_IDENTITY_REP, 2.1);
  assert.equal(ctx.stream('cip').length, 1);
  assert.equal(ctx.stream('cip_identity').length, 0);
});

test('Multiple Service Packet: the packet and each service on its own row, sequence count kept', () => {
  const { ctx, a } = stream();
  a.deliver(true, MSP_REQ, 3);
  a.deliver(false, MSP_REP, 3.1);
  const cip = ctx.stream('cip');
  assert.deepEqual(
    cip.map((r) => [r.direction, r.cip_sequence_count, r.cip_service_code, r.cip_service, r.cip_status_code, r.cip_extended_status_code, r.class_id, r.class_name, r.instance_id, r.attribute_id]),
    [
      ['request', 42, '0x0a', 'Multiple Service Packet', null, null, '0x02', 'Message Router', '0x01', null],
      ['request', 42, '0x0e', 'Get Attributes Single', null, null, '0x01', 'Identity', '0x01', '0x07'],
      ['request', 42, '0x03', 'Get Attribute List', null, null, '0xf5', 'TCP/IP Interface', '0x01', null],
      ['response', 42, '0x0a', 'Multiple Service Packet', '0x1e', null, null, null, null, null],
      ['response', 42, '0x0e', 'Get Attributes Single', '0x00', null, null, null, null, null],
      ['response', 42, '0x03', 'Get Attribute List', '0x05', '0x0107', null, null, null, null],
    ],
  );
  assert.equal(cip[3].cip_status, 'Embedded Service Error');
  assert.equal(cip[5].cip_extended_status, 'Target connection not found');
});

test('framing: byte-by-byte delivery and several messages per chunk give the same rows', () => {
  const whole = stream();
  whole.a.deliver(true, concat(REGISTER_SESSION_REQ, GAA_IDENTITY_REQ, MSP_REQ), 1);
  const bytes = stream();
  const all = concat(REGISTER_SESSION_REQ, GAA_IDENTITY_REQ, MSP_REQ);
  for (let i = 0; i < all.length; i++) bytes.a.deliver(true, noisy(all.subarray(i, i + 1)), 1);
  assert.equal(whole.ctx.stream('enip').length, 3);
  assert.deepEqual(bytes.ctx.records, whole.ctx.records);
  assert.deepEqual(bytes.ctx.anomalies, []);
});

test('mid-stream start: the tail of a message is dropped and parsing resumes at the next chunk', () => {
  const { ctx, a } = stream();
  a.deliver(true, MSP_REQ.subarray(30), 1); // tail of a message: no plausible header
  a.deliver(true, GAA_IDENTITY_REQ, 2);
  assert.deepEqual(ctx.anomalyNames(), ['enip.invalid_header']);
  assert.equal(ctx.stream('enip').length, 1);
  assert.equal(ctx.stream('enip')[0].enip_command, 'Send RR Data');
  assert.deepEqual(ctx.services, ['enip']);
});

test('a gap drops the partial message; a strict candidate inside a chunk is found', () => {
  const { ctx, a } = stream();
  a.deliver(true, GAA_IDENTITY_REQ.subarray(0, 30), 1);
  a.gap(true, 100, 2);
  // junk, then two whole messages in one chunk: the first is a strict candidate (followed by a plausible header)
  a.deliver(true, concat(hex('ff ff ff'), REGISTER_SESSION_REQ, GAA_IDENTITY_REQ), 3);
  assert.deepEqual(ctx.anomalyNames(), ['enip.partial_message_discarded', 'enip.invalid_header']);
  assert.deepEqual(ctx.stream('enip').map((r) => r.enip_command), ['Register Session', 'Send RR Data']);
});

test('four bad headers before any valid message stop the analyzer (fatal)', () => {
  const { ctx, a } = stream();
  const junk = new Uint8Array(24).fill(0x41);
  for (let i = 0; i < 4; i++) a.deliver(true, junk, i);
  assert.equal(a.done, true);
  assert.deepEqual(ctx.anomalyNames(), ['enip.invalid_header', 'enip.invalid_header', 'enip.invalid_header', 'enip.invalid_header', 'enip.too_many_violations']);
  a.deliver(true, REGISTER_SESSION_REQ, 5);
  assert.equal(ctx.stream('enip').length, 0);
});

test('a message larger than the analyzer buffer limit is skipped by its length and framing continues', () => {
  const { ctx, a } = stream({ maxAnalyzerBufferBytes: 40 });
  a.deliver(true, GAA_IDENTITY_REQ.subarray(0, 20), 1);
  a.deliver(true, GAA_IDENTITY_REQ.subarray(20, 30), 2); // 46 bytes > 40
  a.deliver(true, concat(GAA_IDENTITY_REQ.subarray(30), REGISTER_SESSION_REQ), 3);
  assert.deepEqual(ctx.anomalyNames(), ['enip.buffer_limit']);
  assert.deepEqual(ctx.stream('enip').map((r) => r.enip_command), ['Register Session']);
});

/** An encapsulation header (24 bytes) of `command` declaring `length` data bytes. */
function header(command: number, length: number): Uint8Array {
  const h = hex(`
    00 00                     # command (set below)
    00 00                     # length (set below)
    00 00 00 00               # session handle 0
    00 00 00 00               # status Success
    00 00 00 00 00 00 00 00   # sender context
    00 00 00 00               # options 0
  `);
  h[0] = command & 0xff; // little-endian command
  h[1] = command >> 8;
  h[2] = length & 0xff; // little-endian length
  h[3] = length >> 8;
  return h;
}

test('a header declaring 65500 bytes followed by 1 byte holds a small buffer, not the declared length', () => {
  const { ctx, a } = stream();
  for (const side of [true, false]) {
    a.deliver(side, noisy(header(0x6f, 65500)), 1); // SendRRData header alone
    a.deliver(side, hex('00'), 2); // one data byte
  }
  assert.ok(a.bufferedBytes <= 2 * 512, `${a.bufferedBytes} bytes held`);
  assert.deepEqual(ctx.anomalies, []);
});

test('a long message grows its buffer as bytes arrive and the storage is released when it completes', () => {
  const { ctx, a } = stream();
  const msg = concat(header(0x00, 9976), new Uint8Array(9976)); // NOP (Vol 2 §2-4.1) with 9976 data bytes: 10000 in all
  for (let off = 0; off < msg.length; off += 1000) {
    a.deliver(true, noisy(msg.subarray(off, off + 1000)), 1);
    if (off + 1000 < msg.length) assert.ok(a.bufferedBytes <= 2 * (off + 1000), `${a.bufferedBytes} bytes held after ${off + 1000}`);
  }
  assert.deepEqual(ctx.stream('enip').map((r) => [r.enip_command_code, r.length]), [['0x00', 9976]]);
  assert.ok(a.bufferedBytes <= RETAINED_CARRY_BYTES, 'released after the message completed');
  a.deliver(true, noisy(REGISTER_SESSION_REQ), 2);
  assert.equal(ctx.stream('enip').length, 2);
});

test('a truncated CPF list is a violation; the enip row is still written', () => {
  const { ctx, a } = stream();
  const bad = GAA_IDENTITY_REQ.slice();
  bad[2] = 0x0a; // length 10: the CPF list is cut
  a.deliver(true, bad.subarray(0, 34), 1);
  assert.equal(ctx.stream('enip').length, 1);
  assert.deepEqual(ctx.anomalyNames(), ['enip.cpf_truncated']);
});

test('UDP ListIdentity reply: enip row and a cip_identity row with the socket address; service enip', () => {
  const ctx = new FakeFlowContext('CUdp', { orig_h: '10.1.1.167', orig_p: 5262, resp_h: '10.1.1.164', resp_p: 44818, proto: 'udp' });
  const a = new EnipDatagramAnalyzer(ctx);
  a.datagram(false, noisy(LIST_IDENTITY_REP), 4);
  assert.deepEqual(ctx.services, ['enip']);
  assert.equal(ctx.stream('enip')[0].sender_context, '0x00000000c1debed1');
  assert.deepEqual(content(ctx.stream('cip_identity')[0]), {
    is_orig: false, encapsulation_version: 1, socket_address: '10.1.1.164', socket_port: 44818, vendor_id: 1, vendor_name: 'Rockwell Automation/Allen-Bradley', device_type_id: 12, device_type_name: 'Communications Adapter', product_code: 58, revision: '4.3', device_status: '0x0030', serial_number: '0x00524d8e', product_name: '1756-ENBT/A', device_state: '0x0003',
  });
});

test('UDP I/O datagram: a cip_io row, service cip; io_data is cut at maxStringLength', () => {
  const ctx = new FakeFlowContext('CIo', { orig_h: '192.168.1.24', orig_p: 2222, resp_h: '192.168.1.22', resp_p: 2222, proto: 'udp' }, { maxStringLength: 8 });
  const a = new EnipDatagramAnalyzer(ctx);
  a.datagram(true, noisy(IO_DATAGRAM), 5);
  assert.deepEqual(ctx.services, ['cip']);
  assert.deepEqual(content(ctx.stream('cip_io')[0]), { is_orig: true, connection_id: '0x004b0603', sequence_number: 4166875, data_length: 6, io_data: 'a587e80f' });
});

test('UDP: a datagram that is neither form is a violation; four before any valid one are fatal', () => {
  const ctx = new FakeFlowContext('CBad', { orig_h: '10.0.0.1', orig_p: 1000, resp_h: '10.0.0.2', resp_p: 2222, proto: 'udp' });
  const a = new EnipDatagramAnalyzer(ctx);
  for (let i = 0; i < 4; i++) a.datagram(true, hex('02 00 01 00'), i);
  assert.equal(a.done, true);
  assert.equal(ctx.anomalyNames().at(-1), 'enip.too_many_violations');
});
