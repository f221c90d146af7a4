/**
 * DNS test messages as commented hex dumps (RFC 1035 §4.1; `#` starts a comment), and helpers to
 * turn them into bytes, sub-views and TCP-framed streams.
 */

/** Bytes of a commented hex dump. */
export function hex(text: string): Uint8Array {
  const digits = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** `b` inside a larger buffer at offset 7 (non-zero byteOffset), as a sub-view. */
export function subView(b: Uint8Array): Uint8Array {
  const big = new Uint8Array(b.length + 13).fill(0xa5);
  big.set(b, 7);
  return big.subarray(7, 7 + b.length);
}

/** Messages framed for TCP: each preceded by its two-byte length (RFC 1035 §4.2.2). */
export function tcpFrame(...msgs: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(msgs.reduce((n, m) => n + 2 + m.length, 0));
  let p = 0;
  for (const m of msgs) {
    out[p] = m.length >>> 8;
    out[p + 1] = m.length & 0xff;
    out.set(m, p + 2);
    p += 2 + m.length;
  }
  return out;
}

/** Query for www.Example.com A, id 0x1234. */
export const QUERY = hex(`
  12 34                         # ID 0x1234 (dns.id)
  01 00                         # flags: QR 0, opcode 0 QUERY, RD 1
  00 01                         # QDCOUNT 1
  00 00                         # ANCOUNT 0
  00 00                         # NSCOUNT 0
  00 00                         # ARCOUNT 0
  03 77 77 77                   # offset 12: label "www"
  07 45 78 61 6d 70 6c 65       # offset 16: label "Example" (upper-case E: logged lower case)
  03 63 6f 6d                   # offset 24: label "com"
  00                            # root label
  00 01                         # QTYPE 1 A
  00 01                         # QCLASS 1 IN
`);

/** Its response: a CNAME whose target is compressed, then an A record owned by that target. */
export const RESPONSE = hex(`
  12 34                         # ID 0x1234
  81 80                         # flags: QR 1, opcode 0, AA 0, TC 0, RD 1, RA 1, Z 0, RCODE 0
  00 01                         # QDCOUNT 1
  00 02                         # ANCOUNT 2
  00 00                         # NSCOUNT 0
  00 00                         # ARCOUNT 0
  03 77 77 77 07 45 78 61 6d 70 6c 65 03 63 6f 6d 00   # question name www.Example.com (offsets 12..28)
  00 01 00 01                   # QTYPE A, QCLASS IN
  c0 0c                         # offset 33: answer 1 owner: pointer to offset 12 (www.example.com)
  00 05                         # TYPE 5 CNAME
  00 01                         # CLASS IN
  00 00 0e 10                   # TTL 3600 s
  00 06                         # RDLENGTH 6
  03 77 65 62 c0 10             # offset 45: RDATA "web" + pointer to offset 16 (example.com)
  c0 2d                         # answer 2 owner: pointer to offset 45 (web.example.com)
  00 01                         # TYPE 1 A
  00 01                         # CLASS IN
  00 00 00 3c                   # TTL 60 s
  00 04                         # RDLENGTH 4
  5d b8 d8 22                   # 93.184.216.34
`);

/** A TXT query as DNS tunnels send them: a 40-character base32 label under t.boxsync.example. */
export const TXT_QUERY = hex(`
  ab cd                         # ID 0xabcd
  01 00                         # flags: RD
  00 01 00 00 00 00 00 00       # QDCOUNT 1, others 0
  28                            # label of 40 octets:
  6d 66 72 67 67 7a 64 66 6d 7a 74 67 71 33 64 6f 6d 66 72 67 67 7a 64 66 6d 7a 74 67 71 33 64 6f 61 62 63 64 65 66 67 68
  01 74                         # label "t"
  07 62 6f 78 73 79 6e 63       # label "boxsync"
  07 65 78 61 6d 70 6c 65       # label "example"
  00                            # root
  00 10                         # QTYPE 16 TXT
  00 01                         # QCLASS IN
`);

/** A refused response without a question or records (Zeek: rejected). */
export const REFUSED = hex(`
  55 66                         # ID 0x5566
  81 05                         # flags: QR 1, RD 1, RCODE 5 REFUSED
  00 00 00 00 00 00 00 00       # all counts 0
`);

/** A question name that is a pointer to itself (offset 12 → 12): a compression loop. */
export const SELF_LOOP = hex(`
  00 01 01 00                   # ID 1, flags RD
  00 01 00 00 00 00 00 00       # QDCOUNT 1
  c0 0c                         # offset 12: pointer to offset 12
  00 01 00 01                   # QTYPE A, QCLASS IN
`);

/** Two pointers that point at each other (12 → 14 → 12). */
export const TWO_LOOP = hex(`
  00 02 01 00                   # ID 2, flags RD
  00 01 00 00 00 00 00 00       # QDCOUNT 1
  c0 0e                         # offset 12: pointer to offset 14
  c0 0c                         # offset 14: pointer to offset 12
  00 01 00 01                   # QTYPE A, QCLASS IN
`);

/** A pointer past the end of the message. */
export const BAD_POINTER = hex(`
  00 03 01 00                   # ID 3, flags RD
  00 01 00 00 00 00 00 00       # QDCOUNT 1
  c0 ff                         # pointer to offset 255 (the message has 18 bytes)
  00 01 00 01                   # QTYPE A, QCLASS IN
`);

/** A label with the reserved 01 top bits (0x41). */
export const BAD_LABEL = hex(`
  00 04 01 00                   # ID 4, flags RD
  00 01 00 00 00 00 00 00       # QDCOUNT 1
  41 61                         # length byte 0x41: top bits 01, extended label type
  00 00 01 00 01                # root, QTYPE A, QCLASS IN
`);

/** A header promising a question that is not there. */
export const TRUNCATED = hex(`
  00 05 01 00                   # ID 5, flags RD
  00 01 00 00 00 00 00 00       # QDCOUNT 1, but the message ends here
`);

/** A question name of five 63-octet labels (321 octets > 255). */
export function longName(): Uint8Array {
  const head = hex('00 06 01 00  00 01 00 00 00 00 00 00'); // ID 6, RD, QDCOUNT 1
  const out = new Uint8Array(head.length + 5 * 64 + 1 + 4);
  out.set(head, 0);
  let p = head.length;
  for (let i = 0; i < 5; i++) {
    out[p++] = 63;
    out.fill(0x61, p, p + 63);
    p += 63;
  }
  out[p++] = 0; // root
  out.set([0, 1, 0, 1], p); // QTYPE A, QCLASS IN
  return out;
}
