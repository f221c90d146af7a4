import { fieldNumber, fieldString, fieldStrings } from '../../events/fields.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { CONTAINER_DATA_FOUND_STREAM, CONTAINER_DATA_SCHEMA } from '../content/log.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter } from '../finding.js';

/** Distinct numbers from which a leak counts as automated collection (T0802). */
const MANY = 10;
/** Numbers remembered per (source, destination) pair. */
const MAX_NUMBERS_PER_PAIR = 4096;
/** (source, destination) pairs remembered. */
const MAX_PAIRS = 4096;

/** How a channel reads in a sentence. */
const CHANNEL_TEXT: Readonly<Record<string, string>> = { http: 'HTTP', mqtt: 'MQTT', dns: 'DNS queries', tls: 'TLS', unknown: 'an unrecognised protocol' };

/**
 * Container numbers (ISO 6346) leaving by a flow that is not an approved container-data conduit:
 * reads `container_data` (detect/content/leak-tap.ts), and its internal `container_data_found` records
 * of each flow's first find, so a leak is reported while the flow is still open. One finding per (sending host, receiving
 * host); critical when the receiver is in an `outside` zone, high otherwise. The explanation says
 * how many distinct numbers went where and how (encoding, channel) and which destinations the site
 * approves. ATT&CK for ICS: T0882 Theft of Operational Information, T0869 Standard Application Layer
 * Protocol, and T0802 Automated Collection from 10 numbers on. Evidence: the flow uids.
 */
export function containerExfilDetector(policy: SitePolicy): Detector {
  const approved = policy.site.container_data.approved_destinations;
  const approvedText = [...approved.assets, ...approved.cidrs].join(', ');
  const pairs = new Map<string, Set<string>>();
  return {
    name: 'container_data_exfil',
    streams: [CONTAINER_DATA_SCHEMA.name, CONTAINER_DATA_FOUND_STREAM],
    observe(_stream: string, r: LogRecord, out: FindingWriter): void {
      const orig = fieldString(r, 'id.orig_h');
      const resp = fieldString(r, 'id.resp_h');
      const fromOrig = fieldString(r, 'direction') !== 'resp';
      const src = fromOrig ? orig : resp;
      const dst = fromOrig ? resp : orig;
      const key = `${src}>${dst}`;
      const numbers = fieldStrings(r, 'numbers');
      let seen = pairs.get(key);
      if (seen === undefined && pairs.size < MAX_PAIRS) pairs.set(key, (seen = new Set()));
      if (seen !== undefined) for (const n of numbers) if (seen.size < MAX_NUMBERS_PER_PAIR) seen.add(n);
      const count = Math.max(seen?.size ?? 0, fieldNumber(r, 'count'));
      const zone = policy.zoneOf(dst);
      const outside = zone?.kind === 'outside';
      const srcAsset = policy.assetByIp(src);
      const dstAsset = policy.assetByIp(dst);
      const who = srcAsset === undefined ? `${src} (not in the site inventory)` : `${src} (${srcAsset.name})`;
      const where = outside ? `${dst} outside the terminal` : `${dst}${dstAsset !== undefined ? ` (${dstAsset.name})` : ''} in ${zone === null ? 'no zone of the site' : `zone ${zone.id}`}`;
      const channel = fieldString(r, 'channel');
      const techniques: IcsTechnique[] = [Technique.THEFT_OF_OPERATIONAL_INFORMATION, Technique.STANDARD_APPLICATION_LAYER_PROTOCOL];
      if (count >= MANY) techniques.push(Technique.AUTOMATED_COLLECTION);
      out.report({
        key,
        ts: fieldNumber(r, 'ts'),
        severity: outside ? 'critical' : 'high',
        title: `Container data sent to ${outside ? 'the outside' : dst}`,
        explanation:
          `${who} sent ${count} container number${count === 1 ? '' : 's'}${numbers.length > 0 ? ` (e.g. ${numbers[0]})` : ''} ` +
          `${fieldString(r, 'encoding')} in ${CHANNEL_TEXT[channel] ?? channel} to ${where}; ` +
          (approvedText === '' ? 'the site approves no destination for container data.' : `the site approves container data only to ${approvedText}.`),
        techniques,
        hosts: [src, dst],
        cranes: srcAsset?.crane !== undefined ? [srcAsset.crane] : [],
        evidence: { stream: CONTAINER_DATA_SCHEMA.name, uid: fieldString(r, 'uid') },
        action: `Block ${dst} at the boundary, isolate ${src} and find what on it collects the container records; tell the terminal's data owner which containers left.`,
      });
    },
    finish(): void {},
  };
}
