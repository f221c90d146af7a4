import type { BaplieContainerInput } from '../../crane/edifact/baplie-writer.js';
import { writeBaplie } from '../../crane/edifact/baplie-writer.js';
import { formatIpv4 } from '../net/address.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import { TcpConnection } from '../net/tcp-connection.js';
import { Prng } from '../random.js';
import { AS2_PATH, AS2_PORT } from './coarri-link.js';
import { CYCLE_MIN_S } from './crane-cycle.js';
import { HttpExchange } from './http-exchange.js';
import { encodeOk, encodePost } from './http-message.js';
import type { PortPool } from './port-pool.js';
import type { CraneStowage } from './stowage.js';
import type { TruthBaplieMessage } from './truth.js';
import { portsOf, type VesselCall } from './vessel.js';

/** A crane's first cycle starts at most this long before the run (crane-model.ts), seconds. */
const EARLY_START_SEC = 100;
/** Estimated time of departure after the run's start, seconds (a long call). */
const ETD_AFTER_SEC = 7 * 86_400 + 6 * 3600;

/** A vessel's bay plan as written: the EDIFACT text and what the truth says of it. */
export interface VesselBaplie {
  vessel: VesselCall;
  messageRef: string;
  /** The interchange (UNA … UNZ), one segment a line. */
  text: string;
  /** Containers in the plan. */
  containers: number;
}

/**
 * File name of a vessel's bay plan: `<vessel>-<voyage>.baplie.edi`, the vessel name with each run of
 * characters other than A–Z and 0–9 turned into '-' (e.g. "NORDIC-HARMONY-856E.baplie.edi").
 */
export function baplieFileName(vessel: Pick<VesselCall, 'name' | 'voyage'>): string {
  const clean = (t: string): string => t.toUpperCase().replace(/[^A-Z0-9]+/g, '-').replace(/^-|-$/g, '');
  return `${clean(vessel.name)}-${clean(vessel.voyage)}.baplie.edi`;
}

/** "YYYY-MM-DDTHH:MM" (UTC) of `ts` seconds since the epoch, the form the EDIFACT writers take. */
function minute(ts: number): string {
  return new Date(Math.floor(ts) * 1000).toISOString().slice(0, 16);
}

/**
 * How many of a crane's bays (from its first) it can reach within a run of `durationSec`: every cycle
 * lasts at least CYCLE_MIN_S, the first starts up to EARLY_START_SEC before the run, and a bay takes
 * two moves per cell (discharge, then load); holds only delay the crane.
 */
export function baysWithinRun(stowage: CraneStowage, durationSec: number): number {
  const maxMoves = Math.ceil((durationSec + EARLY_START_SEC) / CYCLE_MIN_S) + 1;
  return Math.floor((maxMoves - 1) / (2 * stowage.cellsPerBay)) + 1;
}

/**
 * The vessel's arrival bay plan (UN/EDIFACT D.95B BAPLIE, SMDG 2.2 layout, `writeBaplie`) as the
 * carrier sends it: every box on board in the bays its cranes (`stowages`, in their order on the
 * vessel) can reach within the run, cell by cell in discharge order, with ISO size-type, gross mass
 * (also as VGM), full, operator = the vessel's carrier, and port of loading / discharge from `portsOf`
 * (a previous port of the vessel; discharge here). These are exactly the boxes the cranes discharge:
 * the planner takes them from the same stowage. TDT+20 with call sign and IMO, LOC+5 the last previous
 * port, LOC+61 the terminal, DTM+132 the run start (arrival), DTM+133 a departure after the run.
 * @throws CwError CW_ERR_CONFIG only for values the writer rejects (a bay number over 999 in a run far
 *   beyond 7 days), which the twin's ranges exclude.
 */
export function vesselBaplie(vessel: VesselCall, stowages: readonly CraneStowage[], unlocode: string, startTs: number, durationSec: number): VesselBaplie {
  const containers: BaplieContainerInput[] = [];
  for (const st of stowages) {
    const n = baysWithinRun(st, durationSec);
    for (let b = 0; b < n; b++) {
      for (const box of st.bay(b)) {
        const ports = portsOf(vessel, unlocode, 'discharge', box.cargo.number);
        containers.push({
          number: box.cargo.number,
          isoSizeType: box.cargo.isoType,
          position: box.slot,
          portOfLoading: ports.portOfLoading,
          portOfDischarge: ports.portOfDischarge,
          grossWeightKg: box.cargo.grossKg,
          vgmKg: box.cargo.grossKg,
          fullEmpty: 'full',
          operator: vessel.carrier,
        });
      }
    }
  }
  const messageRef = `BP${vessel.berth}${vessel.voyage}`;
  const text = writeBaplie(
    {
      interchange: { sender: `${vessel.carrier}EDI`, recipient: `${unlocode}TWIN`, date: minute(startTs - 3600), controlRef: messageRef },
      messageRef,
      documentNumber: `${vessel.callSign}${vessel.voyage}`,
      documentDate: minute(startTs - 3600),
      vessel: { name: vessel.name, callSign: vessel.callSign, imo: vessel.imo, voyage: vessel.voyage, carrier: vessel.carrier },
      ports: { departure: vessel.previousPorts[vessel.previousPorts.length - 1], nextPortOfCall: unlocode },
      schedule: { eta: minute(startTs), etd: minute(startTs + ETD_AFTER_SEC) },
      containers,
    },
    '\n',
  );
  return { vessel, messageRef, text, containers: containers.length };
}

/** What sending the bay plans needs. */
export interface BaplieLinkContext {
  fb: FrameBuilder;
  gateway: SimHost;
  tos: SimHost;
  /** Host header value of the TOS's AS2 receiver, e.g. "tos.nlrtm.example:4080". */
  tosHost: string;
  ports: PortPool;
  seed: number;
  unlocode: string;
  startTs: number;
  /** Nothing is sent at or after this time (seconds since the epoch). */
  endTs: number;
  messages: TruthBaplieMessage[];
}

/**
 * The EDI gateway forwarding a vessel's BAPLIE to the TOS at the vessel's arrival: 5–25 s after the
 * run starts (plus 41 s per berth), one HTTP/1.1 POST to the TOS's AS2 receiver (TCP 4080, AS2_PATH;
 * AS2 per RFC 4130, unsigned and unencrypted, no MDN requested) carrying the interchange, answered
 * `200 OK`. The truth record is pushed when the request's last segment is sent. Null when the run
 * ends before the send time.
 */
export function baplieExchange(ctx: BaplieLinkContext, plan: VesselBaplie): HttpExchange | null {
  const v = plan.vessel;
  const rng = Prng.derive(ctx.seed, `baplie/${v.berth}`);
  const at = ctx.startTs + rng.range(5, 25) + 41 * (v.berth - 1);
  if (!(at < ctx.endTs)) return null;
  const req = encodePost({
    host: ctx.tosHost,
    path: AS2_PATH,
    userAgent: 'EDI-Gateway/3.4',
    body: plan.text,
    contentType: 'application/EDIFACT',
    headers: [
      ['AS2-Version', '1.2'],
      ['AS2-From', `${v.carrier}EDI`],
      ['AS2-To', `${ctx.unlocode}TWIN`],
      ['Message-ID', `<baplie-${plan.messageRef}@${ctx.unlocode.toLowerCase()}.example>`],
      ['Subject', `BAPLIE ${v.name} ${v.voyage}`],
      ['MIME-Version', '1.0'],
    ],
  });
  const port = ctx.ports.take(ctx.gateway);
  const conn = new TcpConnection(ctx.fb, ctx.gateway, port, ctx.tos, AS2_PORT, rng);
  const serviceSec = rng.range(0.05, 0.2);
  return new HttpExchange(conn, at, req, encodeOk(at + serviceSec), { rttSec: rng.range(0.0003, 0.001), serviceSec }, ctx.fb, {
    request(frame, ts) {
      ctx.messages.push({
        frame,
        ts: Math.round(ts * 1e6) / 1e6,
        src: formatIpv4(ctx.gateway.ip),
        dst: formatIpv4(ctx.tos.ip),
        uri: AS2_PATH,
        berth: v.berth,
        vessel: v.name,
        voyage: v.voyage,
        messageRef: plan.messageRef,
        containers: plan.containers,
      });
    },
  });
}
