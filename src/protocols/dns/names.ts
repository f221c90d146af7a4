/**
 * Names of DNS codes as Zeek's `scripts/base/protocols/dns/consts.zeek` writes them in dns.log:
 * query types (`query_types`, IANA "Resource Record (RR) TYPEs"), classes (`classes`) and response
 * codes (`base_errors`, RFC 1035 §4.1.1, RFC 2136 §2.2, RFC 6895 §2.3). Codes without a name get the
 * table defaults `query-N`, `qclass-N`, `rcode-N`.
 */

const QTYPES: Readonly<Record<number, string>> = {
  1: 'A', 2: 'NS', 3: 'MD', 4: 'MF', 5: 'CNAME', 6: 'SOA', 7: 'MB', 8: 'MG', 9: 'MR', 10: 'NULL',
  11: 'WKS', 12: 'PTR', 13: 'HINFO', 14: 'MINFO', 15: 'MX', 16: 'TXT', 17: 'RP', 18: 'AFSDB', 19: 'X25',
  20: 'ISDN', 21: 'RT', 22: 'NSAP', 23: 'NSAP-PTR', 24: 'SIG', 25: 'KEY', 26: 'PX', 27: 'GPOS', 28: 'AAAA',
  29: 'LOC', 30: 'EID', 31: 'NIMLOC', 32: 'NB', 33: 'SRV', 34: 'ATMA', 35: 'NAPTR', 36: 'KX', 37: 'CERT',
  38: 'A6', 39: 'DNAME', 40: 'SINK', 41: 'OPT', 42: 'APL', 43: 'DS', 44: 'SSHFP', 45: 'IPSECKEY',
  46: 'RRSIG', 47: 'NSEC', 48: 'DNSKEY', 49: 'DHCID', 50: 'NSEC3', 51: 'NSEC3PARAM', 52: 'TLSA',
  53: 'SMIMEA', 55: 'HIP', 59: 'CDS', 60: 'CDNSKEY', 61: 'OPENPGPKEY', 62: 'CSYNC', 63: 'ZONEMD',
  64: 'SVCB', 65: 'HTTPS', 99: 'SPF', 100: 'UINFO', 101: 'UID', 102: 'GID', 103: 'UNSPEC',
  249: 'TKEY', 250: 'TSIG', 251: 'IXFR', 252: 'AXFR', 253: 'MAILB', 254: 'MAILA', 255: '*',
  256: 'URI', 257: 'CAA', 32768: 'TA', 32769: 'DLV',
};

const QCLASSES: Readonly<Record<number, string>> = {
  1: 'C_INTERNET', 2: 'C_CSNET', 3: 'C_CHAOS', 4: 'C_HESIOD', 254: 'C_NONE', 255: 'C_ANY',
};

const RCODES: Readonly<Record<number, string>> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED', 6: 'YXDOMAIN',
  7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE',
};

/** Zeek's `qtype_name`: the type's mnemonic (`A`, `TXT`, `*` for 255), else `query-N`. */
export function qtypeName(qtype: number): string {
  return QTYPES[qtype] ?? `query-${qtype}`;
}

/** Zeek's `qclass_name`: `C_INTERNET` for 1 …, else `qclass-N`. */
export function qclassName(qclass: number): string {
  return QCLASSES[qclass] ?? `qclass-${qclass}`;
}

/** Zeek's `rcode_name`: `NOERROR`, `NXDOMAIN` …, else `rcode-N`. */
export function rcodeName(rcode: number): string {
  return RCODES[rcode] ?? `rcode-${rcode}`;
}

/** DNS OPCODEs in use (RFC 1035 §4.1.1 QUERY 0, IQUERY 1, STATUS 2; RFC 1996 NOTIFY 4; RFC 2136 UPDATE 5). */
export function knownOpcode(opcode: number): boolean {
  return opcode <= 2 || opcode === 4 || opcode === 5;
}
