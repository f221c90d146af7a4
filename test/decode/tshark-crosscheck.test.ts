import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { openCapture } from '../../src/capture/open.js';
import { DEFAULT_LIMITS } from '../../src/config/limits.js';
import { Decoder, newDecodedPacket } from '../../src/decode/decoder.js';
import type { DecodedPacket } from '../../src/decode/packet.js';
import { haveTshark, sharedFile } from '../helpers/shared-data.js';

/**
 * Field-by-field agreement with tshark on real captures (DESIGN.md "conformance … field values
 * against tshark -T fields"), one capture per link-layer variety found in ../shared/data.
 */
const FILES: readonly { rel: string; what: string }[] = [
  { rel: 'lemay-modbus/characterization_modbus_6RTU_with_operate.pcap', what: 'Ethernet, Modbus/TCP, ARP, IPv6' },
  { rel: 'zeek-ics-baselines/traces/modbus/fuzz-72.pcap', what: 'Ethernet, fuzzed Modbus (IP total length beyond the frame)' },
  { rel: 'iti-ics-pcaps/MELSEC/melsoft_UDP_unclean_1.pcap', what: 'Ethernet, UDP, ICMP, IPv6' },
  { rel: 'malcolm-pcap/protocols/PROFINET.pcap', what: 'Ethernet, ICMPv6, IPv6' },
  { rel: 'malcolm-pcap/plugins/bro-simple-scan/445_scan.pcap', what: 'Ethernet 802.1Q' },
  { rel: 'icsnpp/enip/traces/set_attribute_single_service_cip.pcapng', what: 'Ethernet 802.1Q, pcapng' },
  { rel: 'icsnpp/s7comm/traces/s7comm_plus.pcap', what: 'Linux SLL' },
  { rel: 'icsnpp/opcua-binary/traces/open62541_client-server_mainloop.pcap', what: 'NULL loopback, IPv6' },
  { rel: 'iti-ics-pcaps/dnp3/opendnp3-3/conformance/8.11.2.5/dump.pcap', what: 'NULL loopback, IPv4' },
];

/** tshark fields compared, in `-e` order after frame.number. */
const FIELDS = [
  'ip.src',
  'ip.dst',
  'ipv6.src',
  'ipv6.dst',
  'tcp.srcport',
  'tcp.dstport',
  'udp.srcport',
  'udp.dstport',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.flags',
] as const;

/** The same fields from our decode, as tshark prints them ('' when absent; tcp.flags as a number). */
function ours(p: DecodedPacket): string[] {
  const tcp = p.ipProto === 6 && p.seq >= 0;
  const udp = p.ipProto === 17 && p.srcPort >= 0;
  return [
    p.ipVersion === 4 ? p.src : '',
    p.ipVersion === 4 ? p.dst : '',
    p.ipVersion === 6 ? p.src : '',
    p.ipVersion === 6 ? p.dst : '',
    tcp ? String(p.srcPort) : '',
    tcp ? String(p.dstPort) : '',
    udp ? String(p.srcPort) : '',
    udp ? String(p.dstPort) : '',
    tcp ? String(p.seq) : '',
    tcp ? String(p.ack) : '',
    tcp ? String(p.payloadLen) : '',
    tcp ? String(p.tcpFlags) : '',
  ];
}

/** tshark's first occurrence of each field per frame (the outer header of ICMP errors and tunnels). */
function tsharkRows(path: string): Map<number, string[]> {
  const args = ['-r', path, '-n', '-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f', '-e', 'frame.number'];
  for (const f of FIELDS) args.push('-e', f);
  const r = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  const rows = new Map<number, string[]>();
  for (const line of r.stdout.split('\n')) {
    if (line === '') continue;
    const cols = line.split('\t');
    const flags = cols[12];
    cols[12] = flags === '' ? '' : String(parseInt(flags, 16) & 0x1ff);
    rows.set(Number(cols[0]), cols.slice(1));
  }
  return rows;
}

test('decode agrees with tshark field by field on real captures', async (t) => {
  if (!haveTshark(t)) return;
  let frames = 0;
  let agree = 0;
  for (const { rel, what } of FILES) {
    const path = sharedFile(t, rel);
    if (path === null) return;
    const expected = tsharkRows(path);
    const decoder = new Decoder(DEFAULT_LIMITS, () => {});
    const pkt = newDecodedPacket();
    const reader = await openCapture(path, 0);
    let fileFrames = 0;
    let fileAgree = 0;
    const mismatches: string[] = [];
    for await (const batch of reader.batches()) {
      for (const raw of batch) {
        decoder.decode(raw, pkt);
        const want = expected.get(raw.frame);
        const got = ours(pkt);
        fileFrames++;
        if (want !== undefined && want.every((v, i) => v === got[i])) fileAgree++;
        else if (mismatches.length < 5) mismatches.push(`frame ${raw.frame}: tshark ${JSON.stringify(want)} ours ${JSON.stringify(got)}`);
      }
    }
    t.diagnostic(`${rel} (${what}): ${fileAgree}/${fileFrames} frames agree`);
    for (const m of mismatches) t.diagnostic(`  ${m}`);
    assert.equal(fileFrames, expected.size, `${rel}: frame count`);
    frames += fileFrames;
    agree += fileAgree;
  }
  const rate = agree / frames;
  t.diagnostic(`agreement ${agree}/${frames} = ${(100 * rate).toFixed(3)} %`);
  assert.equal(agree, frames);
});
