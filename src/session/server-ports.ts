import type { AnalyzerSpec } from './analyzer.js';

/**
 * Zeek's `likely_server_ports` as a default Zeek (base scripts) plus the ICSNPP plugins build it:
 * every server port an analyzer registers (`Analyzer::register_for_ports`). Zeek uses it to choose
 * the originator of a flow whose first packet is not a plain SYN (TCPAnalyzer::WantConnection,
 * UDPAnalyzer::WantConnection). Sources: zeek/scripts/base/protocols/{dce-rpc,dhcp,dnp3,dns,finger,
 * ftp,http,imap,irc,krb,ldap,modbus,mqtt,mysql,ntp,postgresql,quic,radius,rdp,redis,sip,smb,smtp,
 * snmp,socks,ssh,ssl,syslog,xmpp}/main.zeek, zeek/scripts/base/packet-protocols/*, and the
 * cisagov ICSNPP packages (s7comm 102/tcp, enip 44818/tcp+udp and 2222/udp, bacnet 47808/udp,
 * opcua-binary 4840/tcp).
 */
export const ZEEK_LIKELY_SERVER_PORTS: Readonly<{ tcp: readonly number[]; udp: readonly number[] }> = Object.freeze({
  tcp: Object.freeze([
    21, 22, 25, 53, 79, 80, 81, 88, 102, 135, 139, 143, 389, 443, 445, 465, 502, 514, 563, 585, 587, 614, 631, 636, 989,
    990, 992, 993, 995, 1080, 1434, 1883, 2811, 3128, 3268, 3306, 3389, 4840, 5222, 5223, 5269, 5432, 6379, 6666, 6667,
    6668, 6669, 8000, 8080, 8888, 20000, 44818,
  ]),
  udp: Object.freeze([
    53, 67, 88, 123, 137, 161, 162, 389, 443, 514, 1812, 2123, 2152, 2222, 3389, 3544, 4011, 4754, 4789, 5060, 5072, 5353,
    5355, 6081, 20000, 44818, 47808,
  ]),
});

/**
 * Likely server ports per transport: the Zeek defaults above plus the `ports` of every registered
 * analyzer of that transport. Consulted once per new flow.
 */
export class ServerPorts {
  private readonly tcp = new Set<number>(ZEEK_LIKELY_SERVER_PORTS.tcp);
  private readonly udp = new Set<number>(ZEEK_LIKELY_SERVER_PORTS.udp);

  /** `analyzers`: the registered specs whose `ports` are added to the defaults. */
  constructor(analyzers: readonly Pick<AnalyzerSpec, 'transport' | 'ports'>[]) {
    for (const a of analyzers) {
      const set = a.transport === 'tcp' ? this.tcp : this.udp;
      for (const p of a.ports) set.add(p);
    }
  }

  /** True when `port` (0–65535) is a likely server port of `transport`. */
  isLikely(transport: 'tcp' | 'udp', port: number): boolean {
    return (transport === 'tcp' ? this.tcp : this.udp).has(port);
  }
}
