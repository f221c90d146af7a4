import { fieldNumber, fieldString } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';
import { OT_ZONE_KINDS } from './conn-fields.js';

/** Seconds over which one client's queries under one registered domain are counted (an hour: tunnels that drip data slowly stay in view). */
export const TUNNEL_WINDOW_SEC = 3600;
/** Distinct data-carrying query names of one client under one domain within the window that make a tunnel. */
export const TUNNEL_MIN_NAMES = 5;
/** Distinct names of any kind under one domain within the window that make a tunnel by volume alone. */
export const TUNNEL_VOLUME_NAMES = 60;
/** A label this long (octets) carries data (RFC 1035 §2.3.4 allows 63; host names rarely pass 30). */
export const LONG_LABEL = 40;
/** A name this long (octets, of 253) is near the limit, as tunnels fill it. */
export const NEAR_MAX_NAME = 180;
/** Subdomain text at least this long is tested for entropy. */
const ENTROPY_MIN_CHARS = 24;
/** Shannon entropy (bits per character) above which a subdomain reads as encoded data (base32 ≈ 4.5–5). */
export const HIGH_ENTROPY_BITS = 3.8;
/** Client/domain windows tracked at once (the oldest is forgotten beyond). */
const MAX_TRACKED = 10_000;
/** QTYPEs tunnels use to get data back (RFC 1035 §3.3.14 TXT, §3.3.10 NULL). */
const TXT = 16;
const NULL_TYPE = 10;

/** Two-letter second-level labels under which registrations sit one level deeper (co.uk, com.au …). */
const SECOND_LEVEL = new Set(['co', 'com', 'net', 'org', 'gov', 'edu', 'ac', 'or', 'ne', 'go']);

/** The registered domain of a name: its last two labels, three under `co.uk`-style second levels. */
export function registeredDomain(name: string): string {
  const labels = name.split('.');
  const n = labels.length;
  if (n <= 2) return name;
  const take = labels[n - 1].length === 2 && SECOND_LEVEL.has(labels[n - 2]) ? 3 : 2;
  return labels.slice(n - take).join('.');
}

/** Shannon entropy of `s`, bits per character (0 for ''). */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const k of counts.values()) {
    const p = k / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * True when a query name looks like it carries data: a label of LONG_LABEL octets or more, a name of
 * NEAR_MAX_NAME octets or more, or a subdomain (the part before `domain`, dots removed) of at least
 * 24 characters with Shannon entropy ≥ HIGH_ENTROPY_BITS.
 */
export function dataCarrying(name: string, domain: string): boolean {
  if (name.length >= NEAR_MAX_NAME) return true;
  const sub = name.length > domain.length ? name.slice(0, name.length - domain.length - 1) : '';
  let label = 0;
  for (let i = 0; i < sub.length; i++) {
    if (sub.charCodeAt(i) === 0x2e) label = 0;
    else if (++label >= LONG_LABEL) return true;
  }
  const text = sub.replace(/\./g, '');
  return text.length >= ENTROPY_MIN_CHARS && shannonEntropy(text) >= HIGH_ENTROPY_BITS;
}

interface Window {
  start: number;
  /** Distinct data-carrying names (at most TUNNEL_MIN_NAMES kept). */
  carrying: Set<string>;
  /** Distinct names of any kind (at most TUNNEL_VOLUME_NAMES kept). */
  names: Set<string>;
  txtOrNull: number;
  queries: number;
}

/**
 * DNS tunnelling out of the terminal (reads `dns`): per client and registered domain within
 * TUNNEL_WINDOW_SEC, TUNNEL_MIN_NAMES distinct data-carrying query names (long labels, names near
 * 253 octets, high-entropy subdomains), or TUNNEL_VOLUME_NAMES distinct names by volume alone; and,
 * separately, DNS queries from a crane OT zone host straight to a resolver outside the site (the
 * tunnel's usual path past the site resolver). TXT / NULL queries and the resolver's place are
 * named in the explanation. Severity critical when the client is in a crane OT zone or queries an
 * outside resolver directly, high otherwise; the direct-query finding alone is high.
 * ATT&CK for ICS: T0882 Theft of Operational Information, T0869 Standard Application Layer Protocol.
 */
export function dnsTunnelDetector(policy: SitePolicy): Detector {
  const windows = new Map<string, Window>();
  const outside = (ip: string): boolean => {
    const z = policy.zoneOf(ip);
    return z === null || z.kind === 'outside';
  };
  const otHost = (ip: string): boolean => OT_ZONE_KINDS.has(policy.zoneOf(ip)?.kind ?? '');
  return {
    name: 'dns_tunnel',
    streams: ['dns'],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const query = fieldString(r, 'query');
      const client = fieldString(r, 'id.orig_h');
      const resolver = fieldString(r, 'id.resp_h');
      if (query === '' || client === '' || policy.isGroupAddress(resolver)) return;
      const ts = fieldNumber(r, 'ts');
      const uid = fieldString(r, 'uid');
      const asset = policy.assetByIp(client);
      const who = asset === undefined ? `${client} (not in the site inventory)` : `${client} (${asset.name})`;
      const crane = asset?.crane;
      const direct = outside(resolver) && !outside(client);
      if (direct && otHost(client)) {
        out.report({
          key: `direct:${client}>${resolver}`,
          ts,
          severity: 'high',
          title: `DNS from a crane OT host straight to an outside resolver`,
          explanation: `${who} sent DNS queries (first: ${query}) directly to ${resolver} outside the site instead of the site's resolver.`,
          techniques: [Technique.STANDARD_APPLICATION_LAYER_PROTOCOL, Technique.THEFT_OF_OPERATIONAL_INFORMATION],
          hosts: [client, resolver],
          cranes: crane !== undefined ? [crane] : [],
          evidence: { stream: 'dns', uid },
          action: `Block DNS from ${client} to anything but the site resolver and find out what on ${client} queries ${resolver}.`,
        });
      }
      const domain = registeredDomain(query);
      const key = `${client}|${domain}`;
      let w = windows.get(key);
      if (w === undefined || ts - w.start > TUNNEL_WINDOW_SEC) {
        if (w === undefined && windows.size >= MAX_TRACKED) windows.delete(windows.keys().next().value as string);
        w = { start: ts, carrying: new Set(), names: new Set(), txtOrNull: 0, queries: 0 };
        windows.set(key, w);
      }
      w.queries++;
      const qtype = fieldNumber(r, 'qtype', -1);
      if (qtype === TXT || qtype === NULL_TYPE) w.txtOrNull++;
      if (w.names.size < TUNNEL_VOLUME_NAMES) w.names.add(query);
      if (w.carrying.size < TUNNEL_MIN_NAMES && dataCarrying(query, domain)) w.carrying.add(query);
      const byData = w.carrying.size >= TUNNEL_MIN_NAMES;
      if (!byData && w.names.size < TUNNEL_VOLUME_NAMES) return;
      const critical = direct || otHost(client);
      out.report({
        key: `tunnel:${client}>${domain}`,
        ts,
        severity: critical ? 'critical' : 'high',
        title: `DNS tunnel from ${client} to ${domain}`,
        explanation:
          `${who} sent ${w.queries} queries under ${domain} within ${TUNNEL_WINDOW_SEC} s, ` +
          (byData ? `${w.carrying.size} or more of them with encoded-looking names (long or high-entropy labels)` : `${w.names.size} or more distinct names`) +
          `${w.txtOrNull > 0 ? `, ${w.txtOrNull} of type TXT/NULL` : ''}, via ${direct ? `the outside resolver ${resolver}` : `resolver ${resolver}`}: data is leaving in DNS names.`,
        techniques: [Technique.THEFT_OF_OPERATIONAL_INFORMATION, Technique.STANDARD_APPLICATION_LAYER_PROTOCOL],
        hosts: [client, resolver],
        cranes: crane !== undefined ? [crane] : [],
        evidence: { stream: 'dns', uid },
        action: `Isolate ${client}, block ${domain} at the site resolver and the firewall, and find what software on ${client} makes these queries.`,
      });
    },
    finish(): void {},
  };
}
