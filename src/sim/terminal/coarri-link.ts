import { writeCoarri } from '../../crane/edifact/coarri-writer.js';
import { formatIpv4 } from '../net/address.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import type { SimHost } from '../net/host.js';
import { TcpConnection } from '../net/tcp-connection.js';
import { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';
import { ActorChain } from './actor-chain.js';
import { HttpExchange } from './http-exchange.js';
import { encodeOk, encodePost } from './http-message.js';
import type { PortPool } from './port-pool.js';
import type { TruthCoarriReport, TruthMove } from './truth.js';
import type { Berth } from './berth.js';
import type { VesselCall } from './vessel.js';

/** TCP port of the EDI gateway's AS2 receiver (plain HTTP). */
export const AS2_PORT = 4080;
/** Request target of the AS2 receiver. */
export const AS2_PATH = '/as2/inbound';
/** First report this long after the start, seconds (plus 37 s per berth, so berths do not coincide). */
const FIRST_REPORT_SEC = 300;
/** Interval between a vessel's interim reports, seconds. */
const REPORT_INTERVAL_SEC = 1800;

/** What the COARRI chains share. */
export interface CoarriContext {
  fb: FrameBuilder;
  tos: SimHost;
  gateway: SimHost;
  /** Host header value of the gateway, e.g. "edi-gw.nlrtm.example:4080". */
  gatewayHost: string;
  ports: PortPool;
  seed: number;
  /** UN/LOCODE of the terminal; also the AS2 and UNB sender id with suffix "TWIN". */
  unlocode: string;
  startTs: number;
  endTs: number;
  reports: TruthCoarriReport[];
}

/** Moves at one berth waiting for the next report (a bounded window: at most one report interval). */
export class VesselMoves {
  private pending: Array<{ call: number; move: TruthMove }> = [];

  /** Add a move of berth call `call` (in any order). */
  add(call: number, move: TruthMove): void {
    this.pending.push({ call, move });
  }

  /** Remove and return the moves unlocked before `ts`, by unlock time, each with its call number. */
  takeBefore(ts: number): Array<{ call: number; move: TruthMove }> {
    const done = this.pending.filter((m) => m.move.unlockTs < ts).sort((a, b) => a.move.unlockTs - b.move.unlockTs || (a.move.craneId < b.move.craneId ? -1 : 1));
    this.pending = this.pending.filter((m) => m.move.unlockTs >= ts);
    return done;
  }
}

/** "YYYY-MM-DDTHH:MM" (UTC) of `ts` seconds since the epoch, the form the COARRI writer takes. */
function minute(ts: number): string {
  return new Date(Math.floor(ts) * 1000).toISOString().slice(0, 16);
}

/**
 * One report time of a berth: at `ts` it collects the moves unlocked since the previous report and,
 * per vessel call among them (call order), sends a discharge report (BGM 98: discharges, and restows
 * taken ashore) and a loading report (BGM 46: loads, and restows reloaded), each an EDIFACT COARRI
 * D.95B interchange (SMDG layout, `writeCoarri`; a restow leg has EQD 8249 status 5, shifter, with its
 * cell in LOC+147 and the box's own ports, as it stays on board), POSTed by the TOS to the EDI gateway
 * as AS2 (RFC 4130, unsigned and unencrypted, no MDN requested) over HTTP/1.1, one connection per
 * report. A report without moves is not sent. The bodies are built at `ts`, when those moves are known.
 */
class ReportRound implements Actor {
  nextTs: number;
  private queue: HttpExchange[] | null = null;

  constructor(
    private readonly ctx: CoarriContext,
    private readonly berth: Berth,
    private readonly moves: VesselMoves,
    private readonly round: number,
    ts: number,
    private readonly rng: Prng,
  ) {
    this.nextTs = ts;
  }

  step(): void {
    if (this.queue === null) {
      this.queue = this.build(this.nextTs);
    } else {
      const ex = this.queue[0];
      ex.step();
      if (!(ex.nextTs < Infinity)) this.queue.shift();
    }
    this.nextTs = this.queue.length > 0 ? this.queue[0].nextTs : Infinity;
  }

  private build(ts: number): HttpExchange[] {
    const done = this.moves.takeBefore(ts);
    const out: HttpExchange[] = [];
    const calls = [...new Set(done.map((m) => m.call))].sort((a, b) => a - b);
    let at = ts + this.rng.range(0.5, 3);
    for (const call of calls) {
      const v = this.berth.share(call, 0).vessel;
      for (const kind of ['discharge', 'load'] as const) {
        const list = done.filter((m) => m.call === call && (m.move.from.type === 'vessel') === (kind === 'discharge'));
        if (list.length === 0) continue;
        out.push(this.report(v, kind, list.map((m) => m.move), at, ts));
        at += this.rng.range(1, 3);
      }
    }
    return out;
  }

  /** The report of `kind` over `list` (moves of vessel call `v`), sent at `at`; built at `ts`. */
  private report(v: VesselCall, kind: 'discharge' | 'load', list: readonly TruthMove[], at: number, ts: number): HttpExchange {
    const ctx = this.ctx;
    const documentCode = kind === 'discharge' ? '98' : '46';
    const ref = `${v.berth}${String(v.call).padStart(2, '0')}${String(this.round).padStart(4, '0')}${kind === 'discharge' ? 1 : 2}`;
    const sender = `${ctx.unlocode}TWIN`;
    const edi = writeCoarri(
      {
        interchange: { sender, recipient: v.carrier, date: minute(ts), controlRef: ref },
        messageRef: ref,
        documentCode,
        documentNumber: `${v.voyage}-${ref}`,
        documentDate: minute(ts),
        vessel: { name: v.name, callSign: v.callSign, imo: v.imo, voyage: v.voyage, carrier: v.carrier },
        places: [{ qualifier: kind === 'discharge' ? '11' : '9', code: ctx.unlocode }],
        moves: list.map((m) => ({
          number: m.container,
          isoSizeType: m.isoType,
          kind: m.kind === 'restow' ? ('restow' as const) : kind,
          fullEmpty: 'full' as const,
          time: minute(m.unlockTs),
          position: m.from.type === 'vessel' ? m.from : m.to.type === 'vessel' ? m.to : null,
          portOfLoading: m.portOfLoading,
          portOfDischarge: m.portOfDischarge,
          grossWeightKg: m.grossKg,
          vgmKg: m.grossKg,
          operator: v.carrier,
        })),
      },
      '\n',
    );
    const port = ctx.ports.take(ctx.tos);
    const req = encodePost({
      host: ctx.gatewayHost,
      path: AS2_PATH,
      userAgent: 'TOS-EDI/5.1',
      body: edi,
      contentType: 'application/EDIFACT',
      headers: [
        ['AS2-Version', '1.2'],
        ['AS2-From', sender],
        ['AS2-To', `${v.carrier}EDI`],
        ['Message-ID', `<coarri-${ref}@${ctx.unlocode.toLowerCase()}.example>`],
        ['Subject', `COARRI ${v.name} ${v.voyage}`],
        ['MIME-Version', '1.0'],
      ],
    });
    const serviceSec = this.rng.range(0.01, 0.06);
    const conn = new TcpConnection(ctx.fb, ctx.tos, port, ctx.gateway, AS2_PORT, this.rng);
    const containers = list.map((m) => m.container);
    const restows = list.filter((m) => m.kind === 'restow').length;
    return new HttpExchange(conn, at, req, encodeOk(at + serviceSec), { rttSec: this.rng.range(0.0003, 0.001), serviceSec }, ctx.fb, {
      request(frame, rts) {
        ctx.reports.push({
          frame,
          ts: Math.round(rts * 1e6) / 1e6,
          src: formatIpv4(ctx.tos.ip),
          dst: formatIpv4(ctx.gateway.ip),
          uri: AS2_PATH,
          berth: v.berth,
          call: v.call,
          vessel: v.name,
          voyage: v.voyage,
          documentCode,
          kind,
          restows,
          messageRef: ref,
          containers,
        });
      },
    });
  }
}

/**
 * The TOS's interim COARRI reports for the vessels at one berth: the first `FIRST_REPORT_SEC` + 37 s ×
 * (berth − 1) after the start, then every 30 minutes, until the end of the run (see `ReportRound`):
 * each vessel call gets its own reports while its moves come in.
 */
export function coarriChain(ctx: CoarriContext, berth: Berth, moves: VesselMoves): ActorChain {
  const rng = Prng.derive(ctx.seed, `coarri/${berth.berth}`);
  let round = 0;
  return new ActorChain(() => {
    const ts = ctx.startTs + FIRST_REPORT_SEC + 37 * (berth.berth - 1) + round * REPORT_INTERVAL_SEC;
    if (!(ts < ctx.endTs)) return null;
    round++;
    return new ReportRound(ctx, berth, moves, round, ts, rng);
  });
}
