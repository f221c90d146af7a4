import { CwError } from '../../errors.js';
import type { Site, SiteAsset } from '../../policy/site-schema.js';
import { ModbusTcpSession } from '../modbus/session.js';
import { MQTT_V311, MQTT_V5 } from '../mqtt/constants.js';
import { CraneTelemetryScript, type TelemetryCrane } from '../mqtt/crane-telemetry.js';
import { MqttSession } from '../mqtt/session.js';
import { ModbusServer, type DeviceIdentity } from '../modbus/server.js';
import { formatIpv4, formatMac, parseIpv4 } from '../net/address.js';
import { FrameBuilder } from '../net/frame-builder.js';
import type { FrameSink } from '../net/frame-sink.js';
import { createHost, type SimHost, type StackKind } from '../net/host.js';
import { CLIENT } from '../net/tcp-connection.js';
import { Prng } from '../random.js';
import { Scheduler } from '../scheduler.js';
import { BlockPollScript } from './block-poll-script.js';
import { baplieChain, type VesselBaplie } from './baplie-link.js';
import { Berth } from './berth.js';
import { AS2_PORT, type CoarriContext, coarriChain, VesselMoves } from './coarri-link.js';
import { createCraneModel, type CraneModel, WIND_STOP_DEFAULT_MS } from './crane-model.js';
import { type DnsQueryRecord, DnsDialog } from './dns-dialog.js';
import { hmiChain } from './hmi.js';
import { NtpDialog } from './ntp-dialog.js';
import { CranePlcImage } from './plc-image.js';
import { PortPool } from './port-pool.js';
import { CompiledRegisterMap } from './register-map.js';
import { buildTerminalSite } from './terminal-site.js';
import { jobDoneChain, ocrChain, TOS_HTTP_PORT, type TosLinkContext } from './tos-link.js';
import type { ScenarioTruth, TerminalTruth, TruthBaplieMessage, TruthHost, TruthModbusWrite, TruthMove, TruthPoll, TruthVesselCall, TruthWorkOrder } from './truth.js';
import { UdpDialogClient } from './udp-dialog.js';
import { CRANES_PER_VESSEL } from './vessel.js';
import { QuayWind } from './wind.js';
import { workOrderChain } from './work-order-link.js';
import { installScenarios } from '../scenarios/install.js';
import type { ScenarioCrane } from '../scenarios/scenario.js';

/** Default start of a twin capture: 2025-03-14T08:00:00Z, seconds since the epoch. */
export const TERMINAL_START_TS = 1_741_939_200;
/** Default number of cranes. */
export const TERMINAL_DEFAULT_CRANES = 4;
/** Longest run, seconds (7 days). */
export const TERMINAL_MAX_DURATION_SEC = 7 * 86_400;
/** Simulated seconds between progress callbacks. */
const PROGRESS_STEP_SEC = 60;

/** Options of `generateTerminal`. */
export interface TerminalOptions {
  /** Number of STS cranes, 1–100 (default 4); ignored when `site` is given (its cranes are used). */
  cranes?: number;
  /** Site file to simulate; default `buildTerminalSite(cranes)`. */
  site?: Site;
  /** PRNG seed, integer 0 … 2^32 − 1 (default 1). */
  seed?: number;
  /** Length of the run, seconds (> 0, ≤ 7 days). */
  durationSec: number;
  /** Start time, seconds since the epoch (default TERMINAL_START_TS). */
  startTs?: number;
  /** Called every simulated minute with (simulated seconds done, total seconds). */
  onProgress?: (doneSec: number, totalSec: number) => void;
  /**
   * Attack, fault and benign scenarios to play (src/sim/scenarios; `params` text or values, checked
   * against each scenario's schema). Invalid ones throw CwError CW_ERR_CONFIG naming the scenario.
   */
  scenarios?: Array<{ name: string; params: Record<string, unknown> }>;
}

/** Result of `generateTerminal`. */
export interface TerminalResult {
  truth: TerminalTruth;
  site: Site;
  /** Each vessel call's arrival bay plan (BAPLIE), by berth then call; written even when the site has no EDI gateway to send it. */
  baplies: VesselBaplie[];
}

/** TCP/IP stack of an asset by role. */
function stackOf(role: SiteAsset['role']): StackKind {
  switch (role) {
    case 'plc':
    case 'ntp':
    case 'vpn_gateway':
    case 'gateway':
      return 'embedded';
    case 'cms':
    case 'hmi':
    case 'historian':
    case 'workstation':
      return 'windows';
    default:
      return 'linux';
  }
}

/** Device identification (Modbus AP §6.21 basic objects) a PLC of this IEEE vendor answers with. */
function identityOf(vendor: string): DeviceIdentity {
  const v = vendor.toLowerCase();
  if (v.includes('telemecanique') || v.includes('schneider')) return { vendorName: 'Schneider Electric', productCode: 'BMEP582040', revision: 'v3.20' };
  if (v.includes('siemens')) return { vendorName: 'Siemens', productCode: '6ES7 515-2AM02-0AB0', revision: 'V2.9.4' };
  if (v.includes('abb')) return { vendorName: 'ABB', productCode: 'PM5650-2ETH', revision: '3.4.1' };
  return { vendorName: vendor, productCode: 'PLC', revision: '1.0' };
}

/**
 * Simulate a container terminal's crane network into `sink` (Ethernet frames in time order):
 * per crane, a PLC (Modbus/TCP server whose tables follow the site file's register map) over a
 * crane whose hoist, trolley and gantry follow planned move cycles (crane-cycle.ts), polled by the CMS
 * every 100–500 ms (one long-lived connection per PLC, fc 1–4 over the map's blocks); the cab HMI
 * writing setpoints; the OCR controller posting each container read to the TOS when the twistlocks
 * lock and the CMS posting a job-done record when they unlock (HTTP/1.1 JSON, TCP 8080); per berth
 * (three cranes each) a sequence of finite vessel calls (berth.ts: each vessel's hull, the cranes'
 * split of its bays, departure once its moves are done, an idle berth, the next vessel), with the
 * TOS's interim EDIFACT COARRI reports per call to the EDI gateway (AS2 over HTTP, TCP 4080) when the
 * site has an `edi_gateway` asset, and at each call's arrival (call 1: the run start) the gateway's
 * POST of the vessel's BAPLIE bay plan to the TOS's AS2 receiver (TCP 4080; baplie-link.ts), the plan
 * being the stowage the cranes discharge from (a few per cent of its boxes restowed: taken ashore and
 * reloaded); before each move, the CMS's GET of the crane's
 * work order from the TOS (TCP 8080; work-order-link.ts); the CMS's crane-state feed to the historian's MQTT
 * broker (TCP 1883, each crane every 1–5 s, MQTT 3.1.1 or the site's `historian_mqtt_version`, see
 * mqtt/crane-telemetry.ts) when the site has a historian; DNS lookups
 * of the TOS and historian names by the CMS, the historian and the OCR controllers; NTP from the CMS,
 * the historian and every PLC. Frames are streamed; memory stays constant except for the ground
 * truth lists (a few hundred bytes per move) and the cycles planned ahead to find a vessel's
 * departure (at most one call's share per crane). Deterministic: the same options give byte-identical frames.
 * `scenarios` (src/sim/scenarios) are installed after the cranes are built and before they run; the
 * returned `site` is a copy of the one given, with any asset a scenario announced (a new HMI).
 * @throws CwError CW_ERR_CONFIG on invalid options or a site without the assets the twin needs
 *   (roles cms, tos, dns, ntp; every crane's PLC).
 */
export function generateTerminal(sink: FrameSink, opts: TerminalOptions): TerminalResult & { packets: number; frameBytes: number } {
  const seed = opts.seed ?? 1;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new CwError('CW_ERR_CONFIG', `seed must be an integer 0–4294967295, got ${seed}`);
  const duration = opts.durationSec;
  if (!Number.isFinite(duration) || duration <= 0 || duration > TERMINAL_MAX_DURATION_SEC) {
    throw new CwError('CW_ERR_CONFIG', `duration must be more than 0 s and at most ${TERMINAL_MAX_DURATION_SEC} s (7 days), got ${duration}`);
  }
  // A copy: scenarios may announce assets in the site the run returns (a new HMI), never in the caller's.
  const site = opts.site !== undefined ? structuredClone(opts.site) : buildTerminalSite(opts.cranes ?? TERMINAL_DEFAULT_CRANES);
  const start = opts.startTs ?? TERMINAL_START_TS;
  const end = start + duration;
  const fb = new FrameBuilder(sink);
  const sched = new Scheduler();
  const ports = new PortPool(Prng.derive(seed, 'ports'));

  const hosts = new Map<string, SimHost>();
  for (const a of site.assets) hosts.set(a.name, createHost({ name: a.name, mac: a.mac, ip: a.ip, stack: stackOf(a.role) }, Prng.derive(seed, `host/${a.name}`)));
  const byRole = (role: SiteAsset['role']): SiteAsset => {
    const a = site.assets.find((x) => x.role === role);
    if (a === undefined) throw new CwError('CW_ERR_CONFIG', `site file: assets: the twin needs an asset with role ${role}`);
    return a;
  };
  const cmsAsset = byRole('cms');
  const tosAsset = byRole('tos');
  const dnsAsset = byRole('dns');
  const ntpAsset = byRole('ntp');
  const historianAsset = site.assets.find((x) => x.role === 'historian');
  const host = (name: string): SimHost => hosts.get(name) as SimHost;
  const cms = host(cmsAsset.name);
  const tos = host(tosAsset.name);
  const domain = `${site.site.unlocode.toLowerCase()}.example`;
  const tosName = `${tosAsset.name}.${domain}`;

  const writes: TruthModbusWrite[] = [];
  const moves: TruthMove[] = [];
  const dnsQueries: DnsQueryRecord[] = [];
  const tosCtx: TosLinkContext = { fb, tos, tosHost: `${tosName}:${TOS_HTTP_PORT}`, ports, seed, unlocode: site.site.unlocode, startTs: start, endTs: end, http: [] };
  const hmiCtx = { fb, ports, seed, startTs: start, endTs: end, writes };
  const wind = new QuayWind(seed);
  const polls: Array<{ truth: TruthPoll; session: ModbusTcpSession }> = [];
  const ediAsset = site.assets.find((x) => x.role === 'edi_gateway');
  const coarriCtx: CoarriContext | null =
    ediAsset === undefined
      ? null
      : { fb, tos, gateway: host(ediAsset.name), gatewayHost: `${ediAsset.name}.${domain}:${AS2_PORT}`, ports, seed, unlocode: site.site.unlocode, startTs: start, endTs: end, reports: [] };
  // Berth b is worked by cranes 3(b − 1) + 1 … 3b, in site order.
  const berths: Berth[] = [];
  for (let b = 0; b * CRANES_PER_VESSEL < site.cranes.length; b++) berths.push(new Berth(seed, b + 1, Math.min(CRANES_PER_VESSEL, site.cranes.length - b * CRANES_PER_VESSEL), start));
  const berthMoves = berths.map(() => new VesselMoves());
  const workOrders: TruthWorkOrder[] = [];
  const baplieMessages: TruthBaplieMessage[] = [];
  const ntpClients: UdpDialogClient[] = [];
  const telemetryCranes: TelemetryCrane[] = [];

  // Each crane's PLC, register map and physics first, so scenarios can act on them (and hold a crane
  // still) before anything reads the cranes.
  const craneRuntimes: ScenarioCrane[] = site.cranes.map((c, i) => {
    const plcAsset = site.assets.find((a) => a.name === c.plc) as SiteAsset;
    const model = createCraneModel(seed, c.id, i, wind, start, berths[Math.floor(i / CRANES_PER_VESSEL)]);
    const map = new CompiledRegisterMap(c);
    const bank = map.newBank();
    map.initSetpoint(bank, 'wind_stop_threshold_ms', WIND_STOP_DEFAULT_MS);
    map.initSetpoint(bank, 'hoist_speed_limit_pct', 100);
    const identity = identityOf(plcAsset.vendor);
    const umas = identity.vendorName === 'Schneider Electric';
    const server = new ModbusServer(bank, identity, new CranePlcImage(model, map), { umas });
    return { id: c.id, index: i, unitId: c.unit_id, plcAsset, plc: host(plcAsset.name), server, map, model, umas };
  });
  const scenarios = installScenarios({ fb, sched, seed, startTs: start, endTs: end, site, hosts, cranes: craneRuntimes, writes }, opts.scenarios ?? []);

  site.cranes.forEach((c, i) => {
    const { plcAsset, plc, model, map, server } = craneRuntimes[i];
    telemetryCranes.push({ id: c.id, model });

    const pollRng = Prng.derive(seed, `poll/${c.id}`);
    const interval = pollRng.int(10, 50) / 100;
    const offset = (i * 0.0137) % 1;
    const session = new ModbusTcpSession(
      fb,
      cms,
      plc,
      server,
      new BlockPollScript(map.pollBlocks, c.unit_id, start + 0.1 + offset, interval, Math.min(0.004, interval / 20), pollRng),
      pollRng,
      { connectTs: start + offset, clientPort: ports.take(cms), firstTid: pollRng.int(0, 0xffff), close: 'none' },
    );
    sched.add(session);
    polls.push({
      session,
      truth: {
        craneId: c.id,
        client: formatIpv4(cms.ip),
        server: formatIpv4(plc.ip),
        clientPort: session.conn.port(CLIENT),
        unitId: c.unit_id,
        intervalSec: interval,
        blocks: map.pollBlocks.map((b) => ({ fc: b.fc, address: b.address, quantity: b.quantity })),
        requests: 0,
        responses: 0,
      },
    });

    const pending = berthMoves[Math.floor(i / CRANES_PER_VESSEL)];
    sched.add(workOrderChain(tosCtx, model, cms, workOrders));
    sched.add(
      jobDoneChain(tosCtx, model, cms, (m, call) => {
        moves.push(m);
        if (coarriCtx !== null) pending.add(call, m);
      }),
    );
    const ocrAsset = site.assets.find((a) => a.crane === c.id && a.role === 'ocr');
    if (ocrAsset !== undefined) {
      const ocr = host(ocrAsset.name);
      sched.add(ocrChain(tosCtx, model, ocr));
      const r = Prng.derive(seed, `dns/${ocrAsset.name}`);
      sched.add(
        new UdpDialogClient(fb, ocr, host(dnsAsset.name), 53, new DnsDialog([[tosName, tosAsset.ip]], r, ocrAsset.ip, dnsAsset.ip, dnsQueries), r, {
          startTs: start + r.range(1, 60),
          intervalSec: 300,
          jitterFraction: 0.05,
          responseDelaySec: [0.0003, 0.002],
          clientPort: 0,
        }),
      );
    }
    const hmiAsset = site.assets.find((a) => a.crane === c.id && a.role === 'hmi');
    if (hmiAsset !== undefined) sched.add(hmiChain(hmiCtx, c.id, c.unit_id, host(hmiAsset.name), plc, server, map));
    const ntpRng = Prng.derive(seed, `ntp/${plcAsset.name}`);
    const ntp = new UdpDialogClient(fb, plc, host(ntpAsset.name), 123, new NtpDialog(10, ntpRng.range(-0.02, 0.02), parseIpv4('192.0.2.123')), ntpRng, {
      startTs: start + ntpRng.range(0.5, 120),
      intervalSec: 1024,
      jitterFraction: 0.02,
      responseDelaySec: [0.0002, 0.0009],
      clientPort: 123,
    });
    ntpClients.push(ntp);
    sched.add(ntp);
  });

  // Each vessel call's bay plan at its arrival, forwarded by the EDI gateway when there is one; the TOS's COARRI reports.
  const baplies: VesselBaplie[] = [];
  const baplieCtx = { fb, gateway: coarriCtx === null ? null : coarriCtx.gateway, tos, tosHost: `${tosName}:${AS2_PORT}`, ports, seed, unlocode: site.site.unlocode, startTs: start, endTs: end, messages: baplieMessages };
  for (const b of berths) sched.add(baplieChain(baplieCtx, b, baplies));
  if (coarriCtx !== null) berths.forEach((b, k) => sched.add(coarriChain(coarriCtx, b, berthMoves[k])));

  // The CMS's crane-state feed to the historian's MQTT broker (one long-lived connection).
  const telemetry: CraneTelemetryScript[] = [];
  if (historianAsset !== undefined && telemetryCranes.length > 0) {
    const r = Prng.derive(seed, 'mqtt/historian');
    const version = site.site.historian_mqtt_version === '5.0' ? MQTT_V5 : MQTT_V311;
    const script = new CraneTelemetryScript(telemetryCranes, `terminal/${site.site.unlocode.toLowerCase()}/crane`, version, r, start + 2);
    const session = new MqttSession(fb, cms, host(historianAsset.name), script, r, {
      connectTs: start + r.range(0.2, 1.5),
      clientPort: ports.take(cms),
      version,
      clientId: `cranewatch-cms-${site.site.unlocode.toLowerCase()}`,
      keepAliveSec: 60,
      sessionExpirySec: version === MQTT_V5 ? 3600 : undefined,
      close: 'none',
    });
    sched.add(session);
    telemetry.push(script);
  }

  // Name and time service of the supervisory hosts.
  const supervisory = [cmsAsset, ...(historianAsset !== undefined ? [historianAsset] : [])];
  for (const a of supervisory) {
    const r = Prng.derive(seed, `dns/${a.name}`);
    const names: Array<[string, string]> = [[tosName, tosAsset.ip]];
    if (historianAsset !== undefined && a !== historianAsset) names.push([`${historianAsset.name}.${domain}`, historianAsset.ip]);
    names.push([`${ntpAsset.name}.${domain}`, ntpAsset.ip]);
    sched.add(
      new UdpDialogClient(fb, host(a.name), host(dnsAsset.name), 53, new DnsDialog(names, r, a.ip, dnsAsset.ip, dnsQueries), r, {
        startTs: start + r.range(0.5, 30),
        intervalSec: 300 / names.length,
        jitterFraction: 0.05,
        responseDelaySec: [0.0003, 0.002],
        clientPort: 0,
      }),
    );
    const nr = Prng.derive(seed, `ntp/${a.name}`);
    const ntp = new UdpDialogClient(fb, host(a.name), host(ntpAsset.name), 123, new NtpDialog(6, nr.range(-0.005, 0.005), parseIpv4('192.0.2.123')), nr, {
      startTs: start + nr.range(0.5, 64),
      intervalSec: 64,
      jitterFraction: 0.05,
      responseDelaySec: [0.0002, 0.0009],
      clientPort: 123,
    });
    ntpClients.push(ntp);
    sched.add(ntp);
  }

  for (let t = start + PROGRESS_STEP_SEC; ; t += PROGRESS_STEP_SEC) {
    const stop = Math.min(t, end);
    sched.run(stop);
    if (opts.onProgress) opts.onProgress(stop - start, duration);
    if (stop >= end) break;
  }

  const truthHost = (a: SiteAsset): TruthHost => ({
    name: a.name,
    role: a.role,
    ip: a.ip,
    mac: formatMac(host(a.name).mac),
    vendor: a.vendor,
    zone: a.zone,
    crane: a.crane ?? null,
  });
  moves.sort((a, b) => a.unlockTs - b.unlockTs || (a.craneId < b.craneId ? -1 : 1));
  const truth: TerminalTruth = {
    seed,
    startTs: start,
    endTs: end,
    site: { name: site.site.name, unlocode: site.site.unlocode },
    hosts: [...site.assets.map(truthHost), ...scenarios.hosts],
    polls: polls.map((p) => ({ ...p.truth, requests: p.session.requests, responses: p.session.responses })),
    moves,
    modbusWrites: writes.sort((a, b) => a.frame - b.frame),
    httpRequests: tosCtx.http.sort((a, b) => a.frame - b.frame),
    dnsQueries: dnsQueries.sort((a, b) => a.frame - b.frame),
    coarriReports: coarriCtx === null ? [] : coarriCtx.reports.sort((a, b) => a.frame - b.frame),
    vesselCalls: berths.flatMap((b) => vesselCallTruth(b, site.cranes.map((c) => c.id), end)),
    baplieMessages: baplieMessages.sort((a, b) => a.frame - b.frame),
    workOrders: workOrders.sort((a, b) => a.frame - b.frame),
    ntpExchanges: ntpClients.reduce((s, c) => s + c.exchanges, 0),
    scenarios: withSensorFaults(scenarios.truths(), craneRuntimes.map((c) => c.model)),
    mqttPublishes: telemetry.flatMap((s) => s.topics.map((topic, i) => ({ topic, craneId: telemetryCranes[i].id, publishes: s.counts[i] }))),
    packets: fb.frames,
    frameBytes: fb.bytes,
  };
  baplies.sort((a, b) => a.vessel.berth - b.vessel.berth || a.vessel.call - b.vessel.call);
  return { truth, site, baplies, packets: fb.frames, frameBytes: fb.bytes };
}

/** The truth records of `berth`'s calls that arrived before `endTs` (`craneIds` in site order; the berth's are 3(b − 1) …). */
function vesselCallTruth(berth: Berth, craneIds: readonly string[], endTs: number): TruthVesselCall[] {
  const us = (ts: number): number => Math.round(ts * 1e6) / 1e6;
  const first = (berth.berth - 1) * CRANES_PER_VESSEL;
  return berth
    .records()
    .filter((r) => r.arrivalTs < endTs)
    .map((r) => {
      const v = r.vessel;
      return {
        berth: v.berth,
        call: v.call,
        name: v.name,
        imo: v.imo,
        callSign: v.callSign,
        voyage: v.voyage,
        carrier: v.carrier,
        hull: { vesselClass: v.hull.vesselClass, bays40: v.hull.bays40, rows: v.hull.rows, deckTiers: v.hull.deckTiers, holdTiers: v.hull.holdTiers },
        cranes: r.bays.map((bays, lane) => ({ craneId: craneIds[first + lane], bays })),
        plannedMoves: r.moves,
        arrivalTs: us(r.arrivalTs),
        departureTs: Number.isNaN(r.departureTs) || r.departureTs >= endTs ? null : us(r.departureTs),
      };
    });
}

/** `truths` with, on each scenario that set sensor faults, the list of them (crane order, then start time). */
function withSensorFaults(truths: ScenarioTruth[], models: readonly CraneModel[]): ScenarioTruth[] {
  const us = (ts: number): number => Math.round(ts * 1e6) / 1e6;
  return truths.map((t) => {
    const faults = models.flatMap((m) =>
      m
        .sensorFaults()
        .filter((f) => f.scenario === t.id)
        .map((f) => ({
          craneId: m.id,
          signal: f.signal,
          kind: f.spec.kind,
          fromTs: us(f.fromTs),
          untilTs: us(f.untilTs),
          value: f.spec.kind === 'stuck' || f.spec.kind === 'spoof' ? f.spec.value : null,
          ratePerSec: f.spec.kind === 'drift' ? f.spec.ratePerSec : null,
        })),
    );
    return faults.length > 0 ? { ...t, sensorFaults: faults } : t;
  });
}
