import { parseIpv4 } from '../../decode/ip-parse.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter, Severity } from '../finding.js';
import { answered, connView } from './conn-fields.js';

/** Server ports of remote-administration and file-sharing services (SMB, NetBIOS, RDP, SSH, Telnet, VNC, WinRM). */
const REMOTE_SERVICE_PORTS = new Set([22, 23, 135, 139, 445, 3389, 5900, 5985, 5986]);
/** The Modbus/TCP server port (Modbus TCP guide V1.0b §4.1). */
const MODBUS_PORT = 502;

/**
 * Flows the learned baseline (site file `baseline` section, `cranewatch baseline`) never saw: a new
 * client/server pair, or a known pair on a new service. Reads `conn`; one finding per (client,
 * server, transport, port). Severity: high for Modbus or remote-administration ports or a server in a
 * crane zone, medium otherwise. Off when the site has no baseline. IPv6 flows (site files are IPv4)
 * and flows to broadcast or multicast addresses are not judged. ATT&CK for ICS: T0869 Standard
 * Application Layer Protocol when answered, T0846 Remote System Discovery when not, plus T0886
 * Remote Services on remote-administration ports.
 */
export function baselineDeviationDetector(policy: SitePolicy): Detector | null {
  if (!policy.hasBaseline) return null;
  return {
    name: 'baseline_deviation',
    streams: ['conn'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const c = connView(r);
      if (c.proto !== 'tcp' && c.proto !== 'udp') return;
      if (c.respPort < 0 || policy.baselineHas(c.orig, c.resp, c.proto, c.respPort)) return;
      // Site files and baselines are IPv4; one-to-many announcements (broadcast, multicast) are not pairs.
      if (parseIpv4(c.orig) < 0 || parseIpv4(c.resp) < 0 || policy.isGroupAddress(c.resp)) return;
      const ok = answered(c);
      const remote = REMOTE_SERVICE_PORTS.has(c.respPort);
      const zone = policy.zoneOf(c.resp);
      const severity: Severity = remote || c.respPort === MODBUS_PORT || zone?.kind === 'crane_control' ? 'high' : 'medium';
      const techniques: IcsTechnique[] = [ok ? Technique.STANDARD_APPLICATION_LAYER_PROTOCOL : Technique.REMOTE_SYSTEM_DISCOVERY];
      if (remote) techniques.push(Technique.REMOTE_SERVICES);
      const client = policy.assetByIp(c.orig);
      const server = policy.assetByIp(c.resp);
      const name = (ip: string, a: typeof client): string => (a !== undefined ? `${ip} (${a.name})` : ip);
      out.report({
        key: `${c.orig}>${c.resp}:${c.proto}/${c.respPort}`,
        ts: c.ts,
        severity,
        title: `New flow ${c.orig} → ${c.resp}:${c.respPort}/${c.proto}`,
        explanation:
          `${name(c.orig, client)} ${ok ? 'connected to' : 'tried'} ${name(c.resp, server)} on ${c.proto}/${c.respPort}, ` +
          `which the learned baseline never saw between these hosts.`,
        techniques,
        hosts: [c.orig, c.resp],
        cranes: server?.crane !== undefined ? [server.crane] : [],
        evidence: { stream: 'conn', uid: c.uid },
        action: `Confirm whether ${c.orig} has a reason to use ${c.proto}/${c.respPort} on ${c.resp}; if it does, add the flow to the site file's baseline.`,
      });
    },
    finish(): void {},
  };
}
