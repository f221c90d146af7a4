import { CwError } from '../../errors.js';
import type { Site, SiteAsset, SitePlcClient } from '../../policy/site-schema.js';
import { formatIpv4 } from '../net/address.js';
import { createHost, type SimHost, type StackKind } from '../net/host.js';
import { Prng } from '../random.js';

/**
 * Announce a new inventoried asset for scenario `scenarioId` (the work of `ScenarioContext.addAsset`,
 * done by the installer that owns the terminal's host map): `asset` is appended to `site.assets`;
 * when it belongs to a crane whose entry lists its PLC's `clients` explicitly, `client` is appended
 * there too; the host (stream `Prng.derive(seed, "host/<name>")`, as for every site asset) is put in
 * `hosts` under the asset's name and returned.
 * @throws CwError CW_ERR_CONFIG naming the scenario when the name or address is taken, or the zone or
 *   crane is not in the site file.
 */
export function addSiteAsset(
  hosts: Map<string, SimHost>,
  site: Site,
  seed: number,
  scenarioId: string,
  asset: SiteAsset,
  stack: StackKind,
  client: SitePlcClient | null,
): SimHost {
  if (hosts.has(asset.name) || site.assets.some((a) => a.name === asset.name)) throw new CwError('CW_ERR_CONFIG', `scenario ${scenarioId}: asset name ${asset.name} is already in use`);
  for (const h of hosts.values()) if (formatIpv4(h.ip) === asset.ip) throw new CwError('CW_ERR_CONFIG', `scenario ${scenarioId}: address ${asset.ip} is already in use`);
  if (!site.zones.some((z) => z.id === asset.zone)) throw new CwError('CW_ERR_CONFIG', `scenario ${scenarioId}: zone ${asset.zone} is not in the site file`);
  const crane = asset.crane === undefined ? undefined : site.cranes.find((c) => c.id === asset.crane);
  if (asset.crane !== undefined && crane === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${scenarioId}: crane ${asset.crane} is not in the site file`);
  site.assets.push(asset);
  if (crane?.clients !== undefined && client !== null) crane.clients.push(client);
  const host = createHost({ name: asset.name, mac: asset.mac, ip: asset.ip, stack }, Prng.derive(seed, `host/${asset.name}`));
  hosts.set(asset.name, host);
  return host;
}
