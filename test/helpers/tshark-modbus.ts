import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * Modbus/TCP PDUs as tshark dissects them, one entry per MBAP header tshark shows, in frame order
 * and, inside a frame, in byte order.
 *
 * tshark is run once per capture as `tshark -n -r FILE [-o mbtcp.tcp.port:502,N…] -Y mbtcp -T pdml
 * -J "mbtcp modbus"`. Extra ports go through the Modbus/TCP port preference rather than
 * `-d tcp.port==N,mbtcp`: Wireshark 4.0 tells a query from a response by that preference, so with
 * `-d` alone a PDU on port N is "unable to classify" and its reference and counts are not shown. PDML (not `-T fields -E occurrence=a`) because a frame may carry several PDUs
 * and `-T fields` aggregates each field separately: a field absent from one PDU (word_cnt in a function
 * 2 request, exception_code in a normal response) shifts the lists, so values can no longer be given
 * to their PDU. PDML keeps one `mbtcp` + `modbus` element pair per PDU. The field names read are the
 * display-filter names `frame.number`, `frame.time_epoch` (PDML geninfo `num` / `timestamp`),
 * `ip.src`/`ipv6.src`, `tcp.srcport`, `ip.dst`, `tcp.dstport` (from the `ip`/`ipv6`/`tcp` element
 * summaries, which PDML keeps when -J filters their fields out), `mbtcp.trans_id`, `mbtcp.unit_id`,
 * `modbus.func_code`, `modbus.exception_code`, `modbus.reference_num`, `modbus.word_cnt`,
 * `modbus.bit_cnt`. Wireshark's PDML writer: epan/print.c (write_pdml_proto_tree).
 */

/** One Modbus/TCP PDU as tshark shows it. Numbers are decimal field values; null when tshark shows none. */
export interface TsharkPdu {
  /** `frame.number`: 1-based frame number of the frame tshark shows the PDU in (the last segment when reassembled). */
  frame: number;
  /** `frame.time_epoch`: seconds since the epoch (tshark prints nanoseconds; a double keeps microseconds exact). */
  ts: number;
  /** Sender address and port, receiver address and port. */
  src: string;
  sport: number;
  dst: string;
  dport: number;
  /** 0-based position of the PDU among the PDUs of its frame. */
  index: number;
  /** `mbtcp.trans_id`, `mbtcp.unit_id`, `mbtcp.len` (bytes after the length field). */
  tid: number | null;
  unit: number | null;
  len: number | null;
  /** `modbus.func_code`: tshark masks the field to the low 7 bits (exception bit removed). */
  funcCode: number | null;
  /** The function code byte as on the wire (the field's unmasked value), exception bit included. */
  funcByte: number | null;
  /** `modbus.exception_code` (exception responses only). */
  exceptionCode: number | null;
  /** `modbus.reference_num` (first occurrence in the PDU). */
  referenceNum: number | null;
  /** `modbus.word_cnt`, `modbus.bit_cnt` (first occurrence in the PDU). */
  wordCnt: number | null;
  bitCnt: number | null;
  /** True when the frame's data came from several TCP segments (`tcp.segments` shown). */
  reassembled: boolean;
}

/** Options of `tsharkModbus`. */
export interface TsharkModbusOptions {
  /** TCP ports to dissect as Modbus/TCP besides 502 (tshark's default is 502 only). */
  ports?: readonly number[];
  /** tshark executable (default `tshark`). */
  tshark?: string;
}

const FIELD_RE = /<field name="([^"]*)"(.*?)\/?>\s*$/;
const ATTR_SHOW = / show="([^"]*)"/;
const ATTR_VALUE = / value="([^"]*)"/;
const ATTR_UNMASKED = / unmaskedvalue="([^"]*)"/;
const PROTO_RE = /<proto name="([^"]*)"(?: showname="([^"]*)")?/;
const IP_SUMMARY = /Src: ([^,]+), Dst: ([^,"]+)/;
const TCP_SUMMARY = /Src Port: (\d+), Dst Port: (\d+)/;

/** Address strings copied out of the PDML line (a regex match is a slice that would keep the whole line alive). */
const interned = new Map<string, string>();
function intern(s: string): string {
  let v = interned.get(s);
  if (v === undefined) {
    v = Buffer.from(s, 'latin1').toString('latin1');
    interned.set(v, v);
  }
  return v;
}

function num(s: string | undefined): number | null {
  if (s === undefined || s === '') return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/**
 * Run tshark over `file` and return every Modbus/TCP PDU it dissects.
 * Errors: rejects when tshark cannot be started or exits with a status other than 0 (its stderr is in the message).
 */
export function tsharkModbus(file: string, opts: TsharkModbusOptions = {}): Promise<TsharkPdu[]> {
  const args = ['-n', '-r', file];
  const ports = opts.ports ?? [];
  if (ports.length > 0) args.push('-o', `mbtcp.tcp.port:${[502, ...ports].join(',')}`);
  args.push('-Y', 'mbtcp', '-T', 'pdml', '-J', 'mbtcp modbus');
  const child = spawn(opts.tshark ?? 'tshark', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d: string) => {
    if (stderr.length < 4096) stderr += d;
  });
  const out: TsharkPdu[] = [];
  let frame = 0;
  let ts = 0;
  let src = '';
  let dst = '';
  let sport = 0;
  let dport = 0;
  let reassembled = false;
  let inFrame: TsharkPdu[] = [];
  let proto = '';
  let cur: TsharkPdu | null = null;
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  lines.on('line', (line: string) => {
    const t = line.trimStart();
    if (t.startsWith('<packet>')) {
      frame = 0;
      ts = 0;
      src = dst = '';
      sport = dport = 0;
      reassembled = false;
      inFrame = [];
      cur = null;
      return;
    }
    if (t.startsWith('</packet>')) {
      for (const p of inFrame) p.reassembled = reassembled;
      out.push(...inFrame);
      return;
    }
    if (t.startsWith('<proto ')) {
      const m = PROTO_RE.exec(t);
      proto = m?.[1] ?? '';
      const summary = m?.[2] ?? '';
      if (proto === 'ip' || proto === 'ipv6') {
        const a = IP_SUMMARY.exec(summary);
        if (a) {
          src = intern(a[1]);
          dst = intern(a[2]);
        }
      } else if (proto === 'tcp') {
        const a = TCP_SUMMARY.exec(summary);
        if (a) {
          sport = Number(a[1]);
          dport = Number(a[2]);
        }
      } else if (proto === 'mbtcp') {
        cur = {
          frame,
          ts,
          src,
          sport,
          dst,
          dport,
          index: inFrame.length,
          tid: null,
          unit: null,
          len: null,
          funcCode: null,
          funcByte: null,
          exceptionCode: null,
          referenceNum: null,
          wordCnt: null,
          bitCnt: null,
          reassembled: false,
        };
        inFrame.push(cur);
      }
      return;
    }
    if (!t.startsWith('<field ')) return;
    const m = FIELD_RE.exec(t);
    if (m === null) return;
    const name = m[1];
    const attrs = m[2];
    if (proto === 'geninfo') {
      if (name === 'num') frame = num(ATTR_SHOW.exec(attrs)?.[1]) ?? 0;
      else if (name === 'timestamp') ts = Number(ATTR_VALUE.exec(attrs)?.[1] ?? 'NaN');
      return;
    }
    if (name === 'tcp.segments') {
      reassembled = true;
      return;
    }
    if (cur === null) return;
    const p: TsharkPdu = cur;
    const show = ATTR_SHOW.exec(attrs)?.[1];
    if (proto === 'mbtcp') {
      if (name === 'mbtcp.trans_id') p.tid = num(show);
      else if (name === 'mbtcp.unit_id') p.unit = num(show);
      else if (name === 'mbtcp.len') p.len = num(show);
      return;
    }
    if (proto !== 'modbus' || !name.startsWith('modbus.')) return;
    if (name === 'modbus.func_code' && p.funcCode === null) {
      p.funcCode = num(show);
      const raw = ATTR_UNMASKED.exec(attrs)?.[1] ?? ATTR_VALUE.exec(attrs)?.[1];
      p.funcByte = raw === undefined ? null : parseInt(raw, 16);
    } else if (name === 'modbus.exception_code' && p.exceptionCode === null) p.exceptionCode = num(show);
    else if (name === 'modbus.reference_num' && p.referenceNum === null) p.referenceNum = num(show);
    else if (name === 'modbus.word_cnt' && p.wordCnt === null) p.wordCnt = num(show);
    else if (name === 'modbus.bit_cnt' && p.bitCnt === null) p.bitCnt = num(show);
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    let closed = 0;
    let status: number | null = null;
    const done = (): void => {
      if (++closed < 2) return;
      if (status === 0) resolve(out);
      else reject(new Error(`tshark ${args.join(' ')} exited with ${status}: ${stderr.trim()}`));
    };
    lines.on('close', done);
    child.on('close', (code) => {
      status = code;
      done();
    });
  });
}
