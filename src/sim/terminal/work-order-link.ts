import { formatIpv4 } from '../net/address.js';
import { yardSlot } from './yard.js';
import type { SimHost } from '../net/host.js';
import { TcpConnection } from '../net/tcp-connection.js';
import { Prng } from '../random.js';
import { ActorChain } from './actor-chain.js';
import type { CraneMove } from './crane-cycle.js';
import type { CraneModel } from './crane-model.js';
import { HttpExchange } from './http-exchange.js';
import { encodeGet, encodeOkJson } from './http-message.js';
import { movePositions, TOS_HTTP_PORT, type TosLinkContext } from './tos-link.js';
import type { TruthWorkOrder } from './truth.js';
import { portsOf } from './vessel.js';

/** Request target of the TOS API for a crane's next work order (the crane id is appended). */
export const WORK_ORDER_PATH = '/api/v1/workorders/next?crane=';
/** The CMS asks for the next order this long before the move starts, seconds [min, max]. */
const LEAD_SEC: readonly [number, number] = [3, 9];

/**
 * The crane's work orders, pulled by the CMS from the TOS: a pull design, because the supervisory
 * zone's conduits allow the CMS to open connections into the terminal DMZ (TCP 8080) and not the
 * reverse. 3–9 s before each move starts, the CMS sends `GET /api/v1/workorders/next?crane=<id>`
 * (HTTP/1.1, one TCP connection per request, `Connection: close`); the TOS answers `200 OK` with the
 * order as JSON: `{work_order_id, crane, kind, container, iso_type, gross_kg, from, to, vessel, voyage,
 * pol, pod}` (positions as in the job-done record; pol/pod UN/LOCODEs). Orders due before `startTs`
 * are not fetched; none at or after `endTs`. Each fetched order is pushed on `orders`.
 */
export function workOrderChain(ctx: TosLinkContext, crane: CraneModel, cms: SimHost, orders: TruthWorkOrder[]): ActorChain {
  const rng = Prng.derive(ctx.seed, `work-order/${crane.id}`);
  const uri = `${WORK_ORDER_PATH}${crane.id}`;
  let k = 0;
  return new ActorChain(() => {
    let m: CraneMove;
    let start: number;
    do {
      m = crane.move(k++);
      start = m.startTs - rng.range(LEAD_SEC[0], LEAD_SEC[1]);
    } while (start < ctx.startTs);
    if (!(start < ctx.endTs)) return null;
    const pos = movePositions(m);
    const id = `${crane.id}-WO${String(m.seq + 1).padStart(6, '0')}`;
    const vessel = m.call;
    const ports = portsOf(vessel, ctx.unlocode, m.kind, m.cargo.number);
    const json = JSON.stringify({
      work_order_id: id,
      crane: crane.id,
      kind: m.kind,
      container: m.cargo.number,
      iso_type: m.cargo.isoType,
      gross_kg: m.cargo.grossKg,
      from: pos.from,
      to: pos.to,
      yard: yardSlot(m.cargo.number).code,
      vessel: vessel.name,
      voyage: vessel.voyage,
      pol: ports.portOfLoading,
      pod: ports.portOfDischarge,
    });
    const port = ctx.ports.take(cms);
    const conn = new TcpConnection(ctx.fb, cms, port, ctx.tos, TOS_HTTP_PORT, rng);
    const serviceSec = rng.range(0.003, 0.02);
    const req = encodeGet(ctx.tosHost, uri, 'CMS-TOSLink/2.8.1');
    const resp = encodeOkJson(start + serviceSec, json);
    let requestFrame = 0;
    return new HttpExchange(conn, start, req, resp, { rttSec: rng.range(0.0003, 0.0012), serviceSec }, ctx.fb, {
      request(frame, ts) {
        requestFrame = frame;
        ctx.http.push({
          frame,
          ts: Math.round(ts * 1e6) / 1e6,
          src: formatIpv4(cms.ip),
          srcPort: port,
          dst: formatIpv4(ctx.tos.ip),
          dstPort: TOS_HTTP_PORT,
          method: 'GET',
          uri,
          host: ctx.tosHost,
          kind: 'work_order',
          craneId: crane.id,
          container: m.cargo.number,
        });
      },
      response(frame, ts) {
        orders.push({ frame, requestFrame, ts: Math.round(ts * 1e6) / 1e6, craneId: crane.id, id, kind: m.kind, container: m.cargo.number, ...pos });
      },
    });
  });
}
