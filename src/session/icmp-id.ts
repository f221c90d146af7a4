/**
 * Zeek's conn_id for ICMP (zeek/src/packet_analysis/protocol/icmp/ICMP.cc, ICMP4_counterpart and
 * ICMP6_counterpart): `orig_p` is the message type, `resp_p` the type of its counterpart message
 * (echo request 8 ↔ echo reply 0, …), so a request and its reply share one flow. A message with no
 * counterpart is "one-way": `resp_p` is its code and the flow key is not made symmetric.
 */

/**
 * Counterpart "port" of an ICMP message, or `-1 - code` for a one-way message (decode it with
 * `oneWayCode`). `v6` selects ICMPv6 (RFC 4443, RFC 4861, RFC 2710, RFC 4620, RFC 6275) over
 * ICMPv4 (RFC 792, RFC 950, RFC 1256). No allocation.
 */
export function icmpCounterpart(type: number, code: number, v6: boolean): number {
  if (!v6) {
    switch (type) {
      case 8: return 0; // echo request → echo reply
      case 0: return 8;
      case 13: return 14; // timestamp
      case 14: return 13;
      case 15: return 16; // information request
      case 16: return 15;
      case 10: return 9; // router solicitation → advertisement
      case 9: return 10;
      case 17: return 18; // address mask
      case 18: return 17;
      default: return -1 - code;
    }
  }
  switch (type) {
    case 128: return 129; // echo request → reply
    case 129: return 128;
    case 133: return 134; // router solicitation → advertisement
    case 134: return 133;
    case 135: return 136; // neighbor solicitation → advertisement
    case 136: return 135;
    case 130: return 131; // MLD query → report
    case 131: return 130;
    case 139: return 140; // node information query → response
    case 140: return 139;
    case 144: return 145; // home agent address discovery request → reply
    case 145: return 144;
    default: return -1 - code;
  }
}

/** True when an `icmpCounterpart` result denotes a one-way message. */
export function isOneWay(counterpart: number): boolean {
  return counterpart < 0;
}

/** The `resp_p` Zeek logs for an `icmpCounterpart` result (counterpart type, or the code of a one-way message). */
export function icmpRespPort(counterpart: number): number {
  return counterpart < 0 ? -1 - counterpart : counterpart;
}
