import type { BaplieContainerInput } from '../../crane/edifact/baplie-writer.js';
import { writeBaplie } from '../../crane/edifact/baplie-writer.js';
import { formatIpv4 } from '../net/address.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import { TcpConnection } from '../net/tcp-connection.js';
import { Prng } from '../random.js';
import { AS2_PATH, AS2_PORT } from './coarri-link.js';
import { HttpExchange } from './http-exchange.js';
import { encodeOk, encodePost } from './http-message.js';
import type { PortPool } from './port-pool.js';
import type { Actor } from '../scheduler.js';
import { ActorChain } from './actor-chain.js';
import type { Berth } from './berth.js';
import type { TruthBaplieMessage } from './truth.js';
import { portsOf, type VesselCall } from './vessel.js';

/** Planned departure in the bay plan: arrival plus this many seconds per move of the call per crane … */
const ETD_SEC_PER_MOVE = 115;
/** … plus this margin, seconds. */
const ETD_MARGIN_SEC = 4 * 3600;

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
 * Call `call`'s arrival bay plan (UN/EDIFACT D.95B BAPLIE, SMDG 2.2 layout, `writeBaplie`) as the
 * carrier sends it: every box on board in the bays the berth's cranes work (each crane's share of the
 * call, in lane order), cell by cell in discharge order, with ISO size-type, gross mass (also as VGM),
 * full, operator = the vessel's carrier, and port of loading / discharge from `portsOf` (a previous
 * port of the vessel; discharge here, or a next port for a box restowed here). These are exactly the
 * boxes the cranes take off (discharges and restows): the planner takes them from the same stowage. TDT+20 with call sign and IMO, LOC+5
 * the last previous port, LOC+61 the terminal, DTM+132 the arrival, DTM+133 the planned departure
 * (115 s per move per crane plus 4 h).
 * @throws CwError CW_ERR_CONFIG only for values the writer rejects, which the hull ranges exclude.
 */
export function vesselBaplie(berth: Berth, call: number, unlocode: string): VesselBaplie {
  const containers: BaplieContainerInput[] = [];
  const vessel = berth.share(call, 0).vessel;
  let moves = 0;
  for (let lane = 0; lane < berth.lanes; lane++) {
    const st = berth.share(call, lane).stowage;
    moves = Math.max(moves, 2 * st.cellsPerBay * st.bays.length);
    for (let b = 0; b < st.bays.length; b++) {
      for (const box of st.bay(b)) {
        const ports = portsOf(vessel, unlocode, box.restow ? 'restow' : 'discharge', box.cargo.number);
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
  const arrival = berth.arrivalTs(call);
  const messageRef = `BP${vessel.berth}${vessel.voyage}`;
  const text = writeBaplie(
    {
      interchange: { sender: `${vessel.carrier}EDI`, recipient: `${unlocode}TWIN`, date: minute(arrival - 3600), controlRef: messageRef },
      messageRef,
      documentNumber: `${vessel.callSign}${vessel.voyage}`,
      documentDate: minute(arrival - 3600),
      vessel: { name: vessel.name, callSign: vessel.callSign, imo: vessel.imo, voyage: vessel.voyage, carrier: vessel.carrier },
      ports: { departure: vessel.previousPorts[vessel.previousPorts.length - 1], nextPortOfCall: unlocode },
      schedule: { eta: minute(arrival), etd: minute(arrival + moves * ETD_SEC_PER_MOVE + ETD_MARGIN_SEC) },
      containers,
    },
    '\n',
  );
  return { vessel, messageRef, text, containers: containers.length };
}

/** What sending the bay plans needs. */
export interface BaplieLinkContext {
  fb: FrameBuilder;
  /** The EDI gateway that forwards the plans; null when the site has none (the plans are still written). */
  gateway: SimHost | null;
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

/** An actor that only marks a time: it steps once, at `nextTs`, and does nothing. */
class Mark implements Actor {
  constructor(public nextTs: number) {}

  step(): void {
    this.nextTs = Infinity;
  }
}

/**
 * The bay plans of a berth's vessel calls, one per call as it arrives: call 1 5–25 s after the run
 * starts, call n ≥ 2 5–25 s after its arrival (`Berth.arrivalTs`), plus 41 s per berth. Each plan
 * (`vesselBaplie`) is appended to `plans` at its time; when the site has an EDI gateway it forwards
 * the plan to the TOS: one HTTP/1.1 POST to the TOS's AS2 receiver (TCP 4080, AS2_PATH; AS2 per RFC
 * 4130, unsigned and unencrypted, no MDN requested) carrying the interchange, answered `200 OK`, the
 * truth record pushed when the request's last segment is sent. Nothing at or after the run's end.
 * Asking for call n's arrival plans the cranes of the berth to the end of call n − 1 (`Berth`).
 */
export function baplieChain(ctx: BaplieLinkContext, berth: Berth, plans: VesselBaplie[]): ActorChain {
  let call = 0;
  return new ActorChain(() => {
    call++;
    const rng = Prng.derive(ctx.seed, `baplie/${berth.berth}/${call}`);
    const from = call === 1 ? ctx.startTs : berth.arrivalTs(call);
    const at = from + rng.range(5, 25) + 41 * (berth.berth - 1);
    if (!(at < ctx.endTs)) return null;
    const plan = vesselBaplie(berth, call, ctx.unlocode);
    plans.push(plan);
    return ctx.gateway === null ? new Mark(at) : baplieExchange(ctx, ctx.gateway, plan, at, rng);
  });
}

/** The EDI gateway's POST of `plan` to the TOS at `at`. */
function baplieExchange(ctx: BaplieLinkContext, gateway: SimHost, plan: VesselBaplie, at: number, rng: Prng): HttpExchange {
  const v = plan.vessel;
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
  const port = ctx.ports.take(gateway);
  const conn = new TcpConnection(ctx.fb, gateway, port, ctx.tos, AS2_PORT, rng);
  const serviceSec = rng.range(0.05, 0.2);
  return new HttpExchange(conn, at, req, encodeOk(at + serviceSec), { rttSec: rng.range(0.0003, 0.001), serviceSec }, ctx.fb, {
    request(frame, ts) {
      ctx.messages.push({
        frame,
        ts: Math.round(ts * 1e6) / 1e6,
        src: formatIpv4(gateway.ip),
        dst: formatIpv4(ctx.tos.ip),
        uri: AS2_PATH,
        berth: v.berth,
        call: v.call,
        vessel: v.name,
        voyage: v.voyage,
        messageRef: plan.messageRef,
        containers: plan.containers,
      });
    },
  });
}
