import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { answered, connView, OT_ZONE_KINDS } from './conn-fields.js';

/**
 * Connections into a crane OT zone from the outside, or from the vendor remote-access zone outside a
 * maintenance window of the crane reached (the whole terminal's windows when the target belongs to
 * no crane). A conduit that allows the flow is respected for the outside, not for the vendor path,
 * whose conduit is meant for maintenance windows. Reads `conn_open` and `conn`; one finding per (source, target,
 * port); critical from the outside, high from the vendor zone.
 * ATT&CK for ICS: T0822 External Remote Services, plus T0883 Internet Accessible Device from the outside.
 */
export function remoteAccessDetector(policy: SitePolicy): Detector {
  return {
    name: 'external_remote_access',
    // conn_open: the flow's first packet (act at once); conn: its end (answered or not).
    streams: ['conn_open', 'conn'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const c = connView(r);
      if (c.proto !== 'tcp' && c.proto !== 'udp') return;
      const from = policy.zoneOf(c.orig);
      const to = policy.zoneOf(c.resp);
      if (from === null || to === null || !OT_ZONE_KINDS.has(to.kind)) return;
      const outside = from.kind === 'outside';
      if (!outside && from.kind !== 'vendor_remote_access') return;
      const target = policy.assetByIp(c.resp);
      if (outside && policy.conduitAllows(from, to, c.proto, c.respPort)) return;
      if (!outside) {
        const cranes = target?.crane !== undefined ? [target.crane] : policy.site.cranes.map((k) => k.id);
        if (cranes.some((id) => policy.inMaintenance(id, c.ts))) return;
      }
      const ok = answered(c);
      out.report({
        key: `${c.orig}>${c.resp}:${c.proto}/${c.respPort}`,
        ts: c.ts,
        severity: outside ? 'critical' : 'high',
        title: outside ? `Connection from the outside into ${to.id}` : `Vendor remote access outside a maintenance window`,
        explanation:
          `${c.orig} (zone ${from.id}) ${ok ? 'opened' : 'tried to open'} ${c.proto}/${c.respPort} to ${c.resp}${target !== undefined ? ` (${target.name})` : ''} ` +
          `in zone ${to.id}${outside ? ' directly from outside the terminal' : ' while no maintenance window was open'}.`,
        techniques: outside ? [Technique.EXTERNAL_REMOTE_SERVICES, Technique.INTERNET_ACCESSIBLE_DEVICE] : [Technique.EXTERNAL_REMOTE_SERVICES],
        hosts: [c.orig, c.resp],
        cranes: target?.crane !== undefined ? [target.crane] : [],
        evidence: { stream: 'conn', uid: c.uid },
        action: outside
          ? `Cut the path from ${c.orig} (find the device or rule that exposes ${c.resp}) and check ${c.resp} for changes.`
          : `Confirm with the vendor who used the remote-access path and why; disable the VPN account outside maintenance windows.`,
      });
    },
    finish(): void {},
  };
}
