import { CwError } from '../../errors.js';
import type { SiteAsset, SitePlcClient } from '../../policy/site-schema.js';
import { formatIpv4 } from '../net/address.js';
import { createHost, type SimHost, type StackKind } from '../net/host.js';
import { Prng } from '../random.js';
import type { ScenarioContext } from './scenario.js';

/**
 * Announce a new inventoried asset in the run's site file (the copy `generateTerminal` returns and
 * `simulate --site-out` writes) and bring its host up: `asset` is appended to `site.assets`; when it
 * belongs to a crane whose entry lists its PLC's `clients` explicitly, `client` is appended there too
 * (sites without such lists derive the rights from roles, policy/site-policy.ts). The terminal lists
 * site assets in the truth's hosts after the run, so the host appears there as inventoried. The host's
 * stream is `Prng.derive(seed, "host/<name>")`, as for every site asset.
 * The context's host map is the terminal's own (`ScenarioEnvironment.hosts`), which this adds to.
 * @throws CwError CW_ERR_CONFIG naming the scenario when the name or address is taken, or the zone or
 *   crane is not in the site file.
 */
export function announceAsset(ctx: ScenarioContext, asset: SiteAsset, stack: StackKind, client: SitePlcClient | null): SimHost {
  const site = ctx.site;
  if (ctx.hosts.has(asset.name) || site.assets.some((a) => a.name === asset.name)) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: asset name ${asset.name} is already in use`);
  for (const h of ctx.hosts.values()) if (formatIpv4(h.ip) === asset.ip) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: address ${asset.ip} is already in use`);
  if (!site.zones.some((z) => z.id === asset.zone)) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: zone ${asset.zone} is not in the site file`);
  const crane = asset.crane === undefined ? undefined : site.cranes.find((c) => c.id === asset.crane);
  if (asset.crane !== undefined && crane === undefined) throw new CwError('CW_ERR_CONFIG', `scenario ${ctx.id}: crane ${asset.crane} is not in the site file`);
  site.assets.push(asset);
  if (crane?.clients !== undefined && client !== null) crane.clients.push(client);
  const host = createHost({ name: asset.name, mac: asset.mac, ip: asset.ip, stack }, Prng.derive(ctx.seed, `host/${asset.name}`));
  (ctx.hosts as Map<string, SimHost>).set(asset.name, host);
  return host;
}
