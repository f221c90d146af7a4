import { formatBayRowTier } from '../../crane/stowage-position.js';
import { yardSlot } from './yard.js';
import type { FrameBuilder } from '../net/frame-builder.js';
import { formatIpv4 } from '../net/address.js';
import type { SimHost } from '../net/host.js';
import { TcpConnection } from '../net/tcp-connection.js';
import { Prng } from '../random.js';
import { ActorChain } from './actor-chain.js';
import type { CraneMove } from './crane-cycle.js';
import type { CraneModel } from './crane-model.js';
import { HttpExchange } from './http-exchange.js';
import { encodeCreated, encodePost, isoTime } from './http-message.js';
import type { PortPool } from './port-pool.js';
import type { TruthHttpRequest, TruthMove, TruthPosition } from './truth.js';
import { portsOf } from './vessel.js';

/** TCP port of the TOS's HTTP API. */
export const TOS_HTTP_PORT = 8080;
/** Request target of the TOS API for OCR reads. */
export const OCR_PATH = '/api/v1/ocr/reads';
/** Request target of the TOS API for job-done records. */
export const JOB_DONE_PATH = '/api/v1/moves/job-done';

/** What the TOS-link chains share. */
export interface TosLinkContext {
  fb: FrameBuilder;
  tos: SimHost;
  /** Host header value, e.g. "tos.nlrtm.example:8080". */
  tosHost: string;
  ports: PortPool;
  seed: number;
  /** UN/LOCODE of the terminal. */
  unlocode: string;
  /** Exchanges due before this time (moves under way when the capture starts) are not sent. */
  startTs: number;
  /** No exchange starts at or after this time (seconds since the epoch). */
  endTs: number;
  http: TruthHttpRequest[];
}

/** The truth form of a move's positions: vessel to truck lane when the box goes ashore, else truck lane to vessel. */
export function movePositions(m: CraneMove): { from: TruthPosition; to: TruthPosition } {
  const v = m.vessel;
  const vessel: TruthPosition = { type: 'vessel', bay: v.bay, row: v.row, tier: v.tier, code: formatBayRowTier(v.bay, v.row, v.tier) };
  const truck: TruthPosition = { type: 'truck', lane: m.lane };
  return m.toShore ? { from: vessel, to: truck } : { from: truck, to: vessel };
}

/** The truth record of a move (of its vessel call `m.call`) at the terminal `here` (UN/LOCODE). */
export function moveRecord(craneId: string, m: CraneMove, here: string): TruthMove {
  const us = (t: number): number => Math.round(t * 1e6) / 1e6;
  const vessel = m.call;
  return {
    craneId,
    seq: m.seq,
    kind: m.kind,
    container: m.cargo.number,
    isoType: m.cargo.isoType,
    sizeFt: m.cargo.sizeFt,
    grossKg: m.cargo.grossKg,
    yard: yardSlot(m.cargo.number),
    ...movePositions(m),
    vessel: { name: vessel.name, imo: vessel.imo, voyage: vessel.voyage },
    ...portsOf(vessel, here, m.kind, m.cargo.number),
    startTs: us(m.startTs),
    endTs: us(m.endTs),
    lockTs: us(m.lockTs),
    unlockTs: us(m.unlockTs),
  };
}

/**
 * The crane's OCR controller reporting each container it reads to the TOS: shortly (0.6–1.6 s) after
 * the twistlocks lock, an HTTP POST of `{"event":"ocr_read", crane, container, iso_type, confidence,
 * read_ts, lane}` to OCR_PATH, one TCP connection per read.
 */
export function ocrChain(ctx: TosLinkContext, crane: CraneModel, ocr: SimHost): ActorChain {
  const rng = Prng.derive(ctx.seed, `ocr/${crane.id}`);
  let k = 0;
  let recordId = rng.int(100_000, 900_000);
  return new ActorChain(() => {
    let m: CraneMove;
    let start: number;
    do {
      m = crane.move(k++);
      start = m.lockTs + rng.range(0.6, 1.6);
    } while (start < ctx.startTs);
    if (!(start < ctx.endTs)) return null;
    const json = JSON.stringify({
      event: 'ocr_read',
      crane: crane.id,
      container: m.cargo.number,
      iso_type: m.cargo.isoType,
      confidence: Math.round(rng.range(0.9, 0.999) * 1000) / 1000,
      read_ts: isoTime(m.lockTs + 0.4),
      lane: m.lane,
    });
    return exchange(ctx, ocr, start, OCR_PATH, 'CraneOCR/4.2 (Axis ACAP)', json, `/api/v1/ocr/reads/${recordId++}`, rng, {
      kind: 'ocr_read',
      craneId: crane.id,
      container: m.cargo.number,
    });
  });
}

/**
 * The CMS reporting each finished move to the TOS: 0.3–1.0 s after the twistlocks unlock, an HTTP
 * POST of the job-done record (move id, crane, kind, container, ISO type, gross kg, from, to, lock and
 * unlock times) to JOB_DONE_PATH, one TCP connection per record. Each move whose twistlocks unlock
 * within the run is also handed to `onMove`, with the number of its vessel call at the crane's berth.
 */
export function jobDoneChain(ctx: TosLinkContext, crane: CraneModel, cms: SimHost, onMove: (m: TruthMove, call: number) => void): ActorChain {
  const rng = Prng.derive(ctx.seed, `job-done/${crane.id}`);
  let k = 0;
  return new ActorChain(() => {
    let m: CraneMove;
    let start: number;
    do {
      m = crane.move(k++);
      start = m.unlockTs + rng.range(0.3, 1.0);
      if (m.unlockTs >= ctx.startTs && m.unlockTs < ctx.endTs) onMove(moveRecord(crane.id, m, ctx.unlocode), m.call.call);
    } while (start < ctx.startTs);
    if (!(start < ctx.endTs)) return null;
    const pos = movePositions(m);
    const moveId = `${crane.id}-${String(m.seq + 1).padStart(6, '0')}`;
    const json = JSON.stringify({
      type: 'job_done',
      move_id: moveId,
      crane: crane.id,
      kind: m.kind,
      container: m.cargo.number,
      iso_type: m.cargo.isoType,
      gross_kg: m.cargo.grossKg,
      from: pos.from,
      to: pos.to,
      yard: yardSlot(m.cargo.number).code,
      lock_ts: isoTime(m.lockTs),
      unlock_ts: isoTime(m.unlockTs),
    });
    return exchange(ctx, cms, start, JOB_DONE_PATH, 'CMS-TOSLink/2.8.1', json, `/api/v1/moves/${moveId}`, rng, {
      kind: 'job_done',
      craneId: crane.id,
      container: m.cargo.number,
    });
  });
}

/** One POST exchange with its truth record. */
function exchange(
  ctx: TosLinkContext,
  client: SimHost,
  start: number,
  path: string,
  userAgent: string,
  json: string,
  location: string,
  rng: Prng,
  what: Pick<TruthHttpRequest, 'kind' | 'craneId' | 'container'>,
): HttpExchange {
  const port = ctx.ports.take(client);
  const conn = new TcpConnection(ctx.fb, client, port, ctx.tos, TOS_HTTP_PORT, rng);
  const req = encodePost({ host: ctx.tosHost, path, userAgent, body: json });
  const serviceSec = rng.range(0.004, 0.03);
  const resp = encodeCreated(start + serviceSec, location, JSON.stringify({ status: 'accepted', location }));
  return new HttpExchange(conn, start, req, resp, { rttSec: rng.range(0.0003, 0.0012), serviceSec }, ctx.fb, {
    request(frame, ts) {
      ctx.http.push({
        frame,
        ts: Math.round(ts * 1e6) / 1e6,
        src: formatIpv4(client.ip),
        srcPort: port,
        dst: formatIpv4(ctx.tos.ip),
        dstPort: TOS_HTTP_PORT,
        method: 'POST',
        uri: path,
        host: ctx.tosHost,
        ...what,
      });
    },
  });
}
