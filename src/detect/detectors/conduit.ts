import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { answered, connView } from './conn-fields.js';

/** Zone kinds whose flows other detectors judge (egress to the outside, remote access from it). */
const EDGE_KINDS = new Set(['outside', 'vendor_remote_access']);

/**
 * Flows between two different zones inside the terminal that no conduit allows (IEC 62443-3-2 zone
 * and conduit model): e.g. an enterprise laptop opening Modbus to a crane PLC, or a crane PLC
 * talking to the TOS directly. Flows touching the outside or the vendor remote-access zone are left
 * to `egress_violation` and `external_remote_access`. Reads `conn_open` and `conn`; one finding per (source,
 * destination zone, protocol/port); high into a crane_control zone, else medium.
 * ATT&CK for ICS: T0846 Remote System Discovery for unanswered attempts, T0869 Standard
 * Application Layer Protocol otherwise.
 */
export function conduitDetector(policy: SitePolicy): Detector {
  return {
    name: 'conduit_violation',
    // conn_open: the flow's first packet (act at once); conn: its end (answered or not).
    streams: ['conn_open', 'conn'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const c = connView(r);
      if (c.proto !== 'tcp' && c.proto !== 'udp') return;
      const from = policy.zoneOf(c.orig);
      const to = policy.zoneOf(c.resp);
      if (from === null || to === null || from.id === to.id || EDGE_KINDS.has(from.kind) || EDGE_KINDS.has(to.kind)) return;
      if (policy.conduitAllows(from, to, c.proto, c.respPort)) return;
      const ok = answered(c);
      const asset = policy.assetByIp(c.orig);
      const target = policy.assetByIp(c.resp);
      out.report({
        key: `${c.orig}>${to.id}:${c.proto}/${c.respPort}`,
        ts: c.ts,
        severity: to.kind === 'crane_control' ? 'high' : 'medium',
        title: `Flow from ${from.id} to ${to.id} without a conduit`,
        explanation:
          `${c.orig}${asset !== undefined ? ` (${asset.name})` : ''} in zone ${from.id} ${ok ? 'connected to' : 'tried to connect to'} ` +
          `${c.resp}${target !== undefined ? ` (${target.name})` : ''}:${c.respPort}/${c.proto} in zone ${to.id}; no conduit of the site allows it.`,
        techniques: [ok ? Technique.STANDARD_APPLICATION_LAYER_PROTOCOL : Technique.REMOTE_SYSTEM_DISCOVERY],
        hosts: [c.orig, c.resp],
        cranes: target?.crane !== undefined ? [target.crane] : [],
        evidence: { stream: 'conn', uid: c.uid },
        action: `Confirm whether ${c.orig} needs to reach ${to.id}; if not, block it at the zone boundary, otherwise add the conduit to the site file.`,
      });
    },
    finish(): void {},
  };
}
