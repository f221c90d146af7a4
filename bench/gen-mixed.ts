/**
 * Writes the mixed-protocol benchmark capture: the packets of a fixed list of public captures from the
 * shared data set (MIXED_SOURCES: Modbus/TCP, DNP3, S7comm, EtherNet/IP-CIP, OPC UA, MQTT, DNS, TLS) and
 * of one digital-twin capture (HTTP to the TOS, with the twin's Modbus and telemetry), replayed in turn
 * until the file reaches `targetBytes`. Each pass (repeat r = 0, 1, …) shifts every address so flows of
 * different passes stay distinct — IPv4: octet 3 + r (mod 256); IPv6: the 16-bit word at bytes 12–13 + r
 * — and fixes the IPv4 header, TCP and UDP checksums by incremental update (RFC 1624 eqn. 3), so a
 * checksum that was right stays right and one that was wrong stays wrong by the same amount. Timestamps
 * are laid out back to back: each source starts 1 s after the previous one ended (sources keep their
 * inner timing). Frames of LINKTYPE_NULL / LOOP (BSD loopback) and LINUX_SLL sources are rewritten to
 * Ethernet II (IEEE 802.3 §3.2.6; SLL: tcpdump.org LINKTYPE_LINUX_SLL) so the output has one link type;
 * other link types are skipped and listed. Written as classic pcap (PcapWriter), microseconds.
 * Deterministic: the same sources and size give the same file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCapture } from '../src/capture/open.js';
import { LinkType, type RawPacket } from '../src/capture/packet.js';
import { PcapWriter } from '../src/capture/pcap-writer.js';
import { generateTerminal } from '../src/sim/terminal/terminal.js';

/** The shared captures replayed, relative to the shared data folder, with what each carries. */
export const MIXED_SOURCES: readonly { readonly path: string; readonly carries: string }[] = [
  { path: 'iti-ics-pcaps/ModbusTCP/ModbusTCP.pcap', carries: 'Modbus/TCP' },
  { path: 'icsnpp/dnp3/traces/dnp3_example.pcap', carries: 'DNP3' },
  { path: 'malcolm-pcap/protocols/DNP3.pcap', carries: 'DNP3' },
  { path: 'icsnpp/s7comm/traces/snap7.pcap', carries: 'S7comm' },
  { path: 'icsnpp/s7comm/traces/s7comm_plus.pcap', carries: 'S7comm-plus (Linux SLL, rewritten)' },
  { path: 'iti-ics-pcaps/EthernetIP/EthernetIP-CIP.pcap', carries: 'EtherNet/IP-CIP' },
  { path: 'icsnpp/opcua-binary/traces/opcua_with-gap_with-handshake.pcap', carries: 'OPC UA' },
  { path: 'icsnpp/opcua-binary/traces/open62541_client-server_mainloop.pcap', carries: 'OPC UA over IPv6 loopback (NULL, rewritten)' },
  { path: 'malcolm-pcap/protocols/OPCUA-Binary.pcap', carries: 'OPC UA' },
  { path: 'malcolm-pcap/protocols/MQTT.pcap', carries: 'MQTT' },
  { path: 'zeek-ics-baselines/traces/mqtt.pcap', carries: 'MQTT' },
  { path: 'iti-ics-pcaps/s7/S7Comm/wrapup.pcapng', carries: 'DNS (LLMNR), NetBIOS' },
  { path: 'zeek-ics-baselines/traces/modbus/modbusSmall.pcap', carries: 'Modbus/TCP, DNS' },
  { path: 'iti-ics-pcaps/openics/EIP-LockPLCAttempt.pcap', carries: 'TLS (HTTPS), EtherNet/IP' },
  { path: 'iti-ics-pcaps/CIP/cip_only.pcap', carries: 'EtherNet/IP-CIP' },
];

/** The twin run added for HTTP (CMS, OCR and EDI hosts to the TOS on 8080 / 4080). */
const TWIN = { seed: 1, durationSec: 600, cranes: 2 } as const;
/** First timestamp of the output, seconds since the epoch (2025-03-14 08:00 UTC). */
const START_TS = 1_741_939_200;
/** Gap between two replayed sources, seconds. */
const GAP_SEC = 1;
/** Largest frame rewritten (bytes); the pcap writer's default snap length. */
const MAX_FRAME = 262_144;

/** What writeMixedCapture wrote. */
export interface MixedCaptureResult {
  packets: number;
  /** File size, bytes. */
  bytes: number;
  /** Timestamp span of the output, seconds. */
  durationSec: number;
  /** Full passes over the sources (the last one may be partial). */
  passes: number;
  /** Sources replayed (relative paths, and `twin:` for the generated one). */
  sources: string[];
  /** Sources left out, with the reason (absent, unsupported link type). */
  skipped: string[];
}

/** RFC 1624 eqn. 3: checksum field value after a 16-bit word of the covered data changes from `old` to `now`. */
function adjust(sum: number, old: number, now: number): number {
  let s = (~sum & 0xffff) + (~old & 0xffff) + now;
  s = (s & 0xffff) + (s >>> 16);
  s = (s & 0xffff) + (s >>> 16);
  return ~s & 0xffff;
}

/**
 * Add `delta` to the big-endian 16-bit word at `at` of `f`, then fix the checksum at `sums[i]` (offsets
 * into `f`; -1 for none; a UDP checksum of 0, "none", is left 0 per RFC 768).
 */
function shiftWord(f: Uint8Array, at: number, delta: number, sums: readonly number[], udpAt: number): void {
  const old = (f[at] << 8) | f[at + 1];
  const now = (old + delta) & 0xffff;
  f[at] = now >>> 8;
  f[at + 1] = now & 0xff;
  for (const c of sums) {
    if (c < 0 || c + 2 > f.length) continue;
    const sum = (f[c] << 8) | f[c + 1];
    if (c === udpAt && sum === 0) continue;
    let next = adjust(sum, old, now);
    if (c === udpAt && next === 0) next = 0xffff; // RFC 768: a computed 0 is sent as all ones
    f[c] = next >>> 8;
    f[c + 1] = next & 0xff;
  }
}

/**
 * Shift the addresses of the IPv4 / IPv6 packet at `ip` of Ethernet frame `f` (in place) by pass `r`.
 * Frames of other EtherTypes, non-first IPv4 fragments' transport headers and IPv6 extension-header
 * chains are left as they are (only the fields the frame holds are touched).
 */
function shiftAddresses(f: Uint8Array, ip: number, etherType: number, r: number): void {
  if (etherType === 0x0800) {
    if (ip + 20 > f.length) return;
    const ihl = (f[ip] & 0x0f) * 4;
    const firstFragment = (((f[ip + 6] & 0x1f) << 8) | f[ip + 7]) === 0;
    const proto = f[ip + 9];
    const l4 = ip + ihl;
    const l4sum = !firstFragment || ihl < 20 ? -1 : proto === 6 ? l4 + 16 : proto === 17 ? l4 + 6 : -1;
    const udpAt = proto === 17 ? l4sum : -2;
    // Octet 3 of an address is the high byte of the address's second 16-bit word.
    for (const a of [ip + 12, ip + 16]) shiftWord(f, a + 2, (r & 0xff) << 8, [ip + 10, l4sum], udpAt);
  } else if (etherType === 0x86dd) {
    if (ip + 40 > f.length) return;
    const next = f[ip + 6];
    const l4 = ip + 40;
    const l4sum = next === 6 ? l4 + 16 : next === 17 ? l4 + 6 : -1;
    const udpAt = next === 17 ? l4sum : -2;
    for (const a of [ip + 8, ip + 24]) shiftWord(f, a + 12, r, [l4sum], udpAt);
  }
}

/** EtherType of a BSD loopback address family (LINKTYPE_NULL / LOOP), or -1. */
function etherTypeOfFamily(af: number): number {
  if (af === 2) return 0x0800;
  if (af === 24 || af === 28 || af === 30) return 0x86dd;
  return -1;
}

/**
 * `p` as an Ethernet frame copied into `out` (first `n` bytes valid), or -1 when its link type is not
 * one this generator rewrites. Ethernet frames are copied as they are; NULL / LOOP and SLL frames get a
 * 14-byte Ethernet II header with locally administered addresses 02:00:00:00:00:01 → …:02.
 */
function toEthernet(p: RawPacket, out: Uint8Array): number {
  const d = p.data;
  if (p.linkType === LinkType.ETHERNET) {
    out.set(d.length > MAX_FRAME ? d.subarray(0, MAX_FRAME) : d);
    return Math.min(d.length, MAX_FRAME);
  }
  let etherType: number;
  let skip: number;
  if (p.linkType === LinkType.NULL || p.linkType === LinkType.LOOP) {
    if (d.length < 4) return -1;
    const le = d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24);
    const be = (d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3];
    etherType = etherTypeOfFamily(p.linkType === LinkType.LOOP ? be : le > 0xffff ? be : le);
    skip = 4;
  } else if (p.linkType === LinkType.LINUX_SLL) {
    if (d.length < 16) return -1;
    etherType = (d[14] << 8) | d[15];
    skip = 16;
  } else return -1;
  if (etherType < 0) return -1;
  const body = Math.min(d.length - skip, MAX_FRAME - 14);
  out.set([0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, etherType >>> 8, etherType & 0xff]);
  out.set(d.subarray(skip, skip + body), 14);
  return 14 + body;
}

/** Offset of the network header in Ethernet frame `f` (after 802.1Q / 802.1ad tags) and its EtherType. */
function networkHeader(f: Uint8Array, n: number): [number, number] {
  let at = 12;
  let type = n >= 14 ? (f[12] << 8) | f[13] : -1;
  while ((type === 0x8100 || type === 0x88a8) && at + 6 <= n) {
    at += 4;
    type = (f[at] << 8) | f[at + 1];
  }
  return [at + 2, type];
}

/**
 * Generate the mixed capture at `path` (pcap, Ethernet, µs) of at least `targetBytes` bytes from the
 * captures under `sharedData`; the twin's HTTP capture is written first to `workDir`.
 * Errors: throws CwError from the capture reader / writer (unreadable source, write failure).
 */
export async function writeMixedCapture(path: string, targetBytes: number, sharedData: string, workDir: string): Promise<MixedCaptureResult> {
  const twinPath = join(workDir, `twin-seed${TWIN.seed}-${TWIN.durationSec}s.pcap`);
  if (!existsSync(twinPath)) {
    const w = PcapWriter.toFile(twinPath, { linkType: LinkType.ETHERNET });
    try {
      generateTerminal(w, { ...TWIN });
    } finally {
      w.close();
    }
  }
  const files: { name: string; file: string }[] = [{ name: `twin:seed ${TWIN.seed}, ${TWIN.durationSec} s, ${TWIN.cranes} cranes`, file: twinPath }];
  const skipped: string[] = [];
  for (const s of MIXED_SOURCES) {
    const file = join(sharedData, s.path);
    if (existsSync(file)) files.push({ name: s.path, file });
    else skipped.push(`${s.path}: absent`);
  }
  const writer = PcapWriter.toFile(path, { linkType: LinkType.ETHERNET });
  const frame = new Uint8Array(MAX_FRAME);
  const unsupported = new Set<string>();
  let bytes = 24;
  let packets = 0;
  let cursor = START_TS;
  let passes = 0;
  try {
    while (bytes < targetBytes) {
      let wrote = 0;
      for (const src of files) {
        if (bytes >= targetBytes) break;
        const reader = await openCapture(src.file, 0);
        let first = Number.NaN;
        let last = cursor;
        for await (const batch of reader.batches()) {
          for (const p of batch) {
            const n = toEthernet(p, frame);
            if (n < 0) {
              unsupported.add(`${src.name}: link type ${p.linkType} not rewritten`);
              continue;
            }
            if (Number.isNaN(first)) first = p.ts;
            const [ip, type] = networkHeader(frame, n);
            if (passes > 0) shiftAddresses(frame.subarray(0, n), ip, type, passes);
            const ts = cursor + Math.max(0, p.ts - first);
            if (ts > last) last = ts;
            writer.writePacket(ts, frame.subarray(0, n), Math.max(p.origLen - (p.data.length - n), n));
            bytes += 16 + n;
            packets++;
            wrote++;
          }
        }
        cursor = Math.ceil(last) + GAP_SEC;
      }
      passes++;
      if (wrote === 0) break;
    }
  } finally {
    writer.close();
  }
  return { packets, bytes, durationSec: cursor - START_TS, passes, sources: files.map((f) => f.name), skipped: [...skipped, ...unsupported] };
}
