import { fieldString, fieldStrings } from '../../events/fields.js';
import { macVendor, parseMac } from '../../assets/oui.js';
import type { LogRecord } from '../../events/record.js';
import type { SitePolicy } from '../../policy/site-policy.js';
import { type IcsTechnique, Technique } from '../attack.js';
import type { Detector } from '../detector.js';
import type { FindingWriter, Severity } from '../finding.js';
import { connView } from './conn-fields.js';

/**
 * Makers of cellular routers and modems, as their IEEE registry organization names contain them
 * (oui-data): a MAC of theirs on a crane network is a path to the outside that bypasses the
 * terminal's firewalls.
 */
export const CELLULAR_VENDORS: readonly RegExp[] = [
  /teltonika/i,
  /sierra wireless/i,
  /cradlepoint/i,
  /robustel/i,
  /inseego/i,
  /novatel wireless/i,
  /inhand network/i,
  /peplink/i,
  /quectel/i,
  /four-faith/i,
  /fibocom/i,
  /telit/i,
  /u-blox/i,
];

/** Roles of inventoried assets that forward other hosts' frames. */
const ROUTERS: ReadonlySet<string> = new Set(['gateway', 'vpn_gateway']);

/** Hosts whose first flow uid is remembered as evidence. */
const MAX_REMEMBERED = 10_000;

/**
 * Devices on the terminal's own zones that the site inventory does not list, devices answering at
 * an inventoried address with another MAC, and any device with a cellular router / modem maker's
 * MAC. Reads `conn_open` (a host missing from the inventory is reported at its first flow, with the
 * MAC its frames carry and that MAC's vendor), `conn` (the first flow of each host, as evidence) and
 * `assets` (the inventory built from the capture: MACs without routers' MACs, vendors, roles — the
 * MAC-mismatch check and the Modbus-client role come from it). Hosts in `outside` zones or in no zone, broadcast or
 * multicast addresses, and hosts seen only through an inventoried gateway's or VPN gateway's MAC
 * (a VPN pool address, a routed subnet) are not judged.
 * One finding per host. Severity: critical for a cellular vendor, high for an unknown Modbus client
 * or a MAC mismatch, medium otherwise. ATT&CK for ICS: T0864 Transient Cyber Asset; T0848 Rogue
 * Master for a Modbus client; T0883 Internet Accessible Device and T0822 External Remote Services
 * for a cellular device.
 */
export function rogueDeviceDetector(policy: SitePolicy): Detector {
  const firstFlow = new Map<string, string>();
  const remember = (ip: string, uid: string): void => {
    if (!firstFlow.has(ip) && firstFlow.size < MAX_REMEMBERED && policy.assetByIp(ip) === undefined) firstFlow.set(ip, uid);
  };
  return {
    name: 'rogue_device',
    streams: ['conn_open', 'conn', 'assets'],
    observe(stream: string, r: LogRecord, out: FindingWriter): void {
      if (stream === 'conn_open') {
        // At a flow's first packet, with the MACs its frames carry: a new device is reported at once.
        const c = connView(r);
        for (const [ip, mac] of [
          [c.orig, fieldString(r, 'orig_l2_addr')],
          [c.resp, fieldString(r, 'resp_l2_addr')],
        ] as const) {
          remember(ip, c.uid);
          // Inventoried hosts are judged on the inventory's MACs (a routed frame carries its router's MAC).
          if (mac === '' || policy.assetByIp(ip) !== undefined) continue;
          const vendor = macVendor(parseMac(mac));
          judge(ip, [mac], vendor === null ? [] : [vendor], [], c.ts, out);
        }
        return;
      }
      if (stream === 'conn') {
        const c = connView(r);
        remember(c.orig, c.uid);
        remember(c.resp, c.uid);
        return;
      }
      const ts = typeof r.first_seen === 'number' ? r.first_seen : typeof r.ts === 'number' ? r.ts : 0;
      judge(fieldString(r, 'host'), fieldStrings(r, 'macs'), fieldStrings(r, 'vendors'), fieldStrings(r, 'roles'), ts, out);
    },
    finish(): void {},
  };

  /** One host with the MACs, vendors and protocol roles seen for it. */
  function judge(host: string, macs: readonly string[], vendors: readonly string[], roles: readonly string[], ts: number, out: FindingWriter): void {
    {
      if (policy.isGroupAddress(host)) return;
      const zone = policy.zoneOf(host);
      if (zone === null || zone.kind === 'outside') return;
      const asset = policy.assetByIp(host);
      // A host seen only behind an inventoried router or VPN gateway (its frames carry that box's MAC)
      // is not a device on the crane network; remote access through it is judged elsewhere.
      if (asset === undefined && macs.length > 0 && macs.every((m) => ROUTERS.has(policy.assetByMac(m)?.role ?? ''))) return;
      const cellular = vendors.find((v) => CELLULAR_VENDORS.some((re) => re.test(v)));
      const macMismatch = asset !== undefined && macs.length > 0 && !macs.includes(asset.mac);
      if (asset !== undefined && !macMismatch && cellular === undefined) return;
      const client = roles.includes('modbus_client');
      const techniques: IcsTechnique[] = [Technique.TRANSIENT_CYBER_ASSET];
      if (client) techniques.push(Technique.ROGUE_MASTER);
      if (cellular !== undefined) techniques.push(Technique.INTERNET_ACCESSIBLE_DEVICE, Technique.EXTERNAL_REMOTE_SERVICES);
      const severity: Severity = cellular !== undefined ? 'critical' : client || macMismatch ? 'high' : 'medium';
      const hw = macs.length > 0 ? `MAC ${macs.join(', ')}${vendors.length > 0 ? ` (${vendors.join(', ')})` : ''}` : 'an unknown MAC';
      let explanation: string;
      if (macMismatch) explanation = `${host} is ${asset?.name} in the site inventory with MAC ${asset?.mac}, but the capture shows it with ${hw}: another device uses its address.`;
      else if (asset !== undefined) explanation = `${host} (${asset.name}) has ${hw}, a cellular router or modem maker: it may give the crane network its own path to the internet.`;
      else
        explanation =
          `${host} in zone ${zone.id} is not in the site inventory; it has ${hw}${cellular !== undefined ? ', a cellular router or modem maker' : ''}` +
          `${client ? ' and sent Modbus requests to PLCs' : ''}.`;
      const uid = firstFlow.get(host);
      out.report({
        key: host,
        ts,
        severity,
        title: cellular !== undefined ? `Cellular device on the ${zone.id} network` : macMismatch ? `Address ${host} used by another device` : `Unknown device on the ${zone.id} network`,
        explanation,
        techniques,
        hosts: [host],
        cranes: asset?.crane !== undefined ? [asset.crane] : [],
        evidence: uid !== undefined ? { stream: 'conn', uid } : { stream: 'assets', uid: host },
        action:
          cellular !== undefined
            ? `Find and disconnect the cellular device at ${host} (${macs.join(', ')}); check which crane parts it was wired to and what it reached.`
            : `Locate ${host} by its switch port and MAC; remove it or add it to the site inventory if it is legitimate.`,
      });
    }
  }
}
