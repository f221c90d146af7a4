import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { answered, connView, OT_ZONE_KINDS } from './conn-fields.js';

/** Ports of common application protocols that command-and-control and exfiltration blend into. */
const COMMON_PORTS = new Set([53, 80, 123, 443, 853, 1883, 8080, 8443, 8883]);

/**
 * Flows from a crane OT zone (crane_control, crane_supervisory) to an `outside` zone that no conduit
 * of the site allows — the path container data or a remote controller would use. Reads `conn_open` (a flow at its first packet) and `conn` (at its end).
 * One finding per (source, destination, protocol/port); high when the outside host answered,
 * medium for attempts. ATT&CK for ICS: T0869 Standard Application Layer Protocol, plus T0885
 * Commonly Used Port on 53/80/443/… .
 */
export function egressDetector(policy: SitePolicy): Detector {
  return {
    name: 'egress_violation',
    // conn_open: the flow's first packet (act at once); conn: its end (answered or not).
    streams: ['conn_open', 'conn'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const c = connView(r);
      if (c.proto !== 'tcp' && c.proto !== 'udp') return;
      const from = policy.zoneOf(c.orig);
      const to = policy.zoneOf(c.resp);
      if (from === null || to === null || !OT_ZONE_KINDS.has(from.kind) || to.kind !== 'outside') return;
      if (policy.conduitAllows(from, to, c.proto, c.respPort)) return;
      const ok = answered(c);
      const techniques: IcsTechnique[] = [Technique.STANDARD_APPLICATION_LAYER_PROTOCOL];
      if (COMMON_PORTS.has(c.respPort)) techniques.push(Technique.COMMONLY_USED_PORT);
      const asset = policy.assetByIp(c.orig);
      const who = asset === undefined ? `${c.orig} (not in the site inventory)` : `${c.orig} (${asset.name})`;
      out.report({
        key: `${c.orig}>${c.resp}:${c.proto}/${c.respPort}`,
        ts: c.ts,
        severity: ok ? 'high' : 'medium',
        title: `Traffic from ${from.id} to the outside`,
        explanation:
          `${who} in zone ${from.id} ${ok ? 'talked to' : 'tried to reach'} ${c.resp}:${c.respPort}/${c.proto} outside the terminal; ` +
          `no conduit of the site allows ${from.id} to reach the outside on that port.`,
        techniques,
        hosts: [c.orig, c.resp],
        cranes: asset?.crane !== undefined ? [asset.crane] : [],
        evidence: { stream: 'conn', uid: c.uid },
        action: `Block ${c.resp} at the OT boundary, find what on ${c.orig} opened the connection, and check what data left.`,
      });
    },
    finish(): void {},
  };
}
