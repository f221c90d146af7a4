import { MQTT_V311 } from '../mqtt/constants.js';
import { MqttPublishList } from '../mqtt/publish-list.js';
import { MqttSession } from '../mqtt/session.js';
import type { SimHost } from '../net/host.js';
import { TcpConnection } from '../net/tcp-connection.js';
import type { Prng } from '../random.js';
import type { Actor } from '../scheduler.js';
import { TlsSession } from '../tls/session.js';
import { HttpExchange } from '../terminal/http-exchange.js';
import { encodeCreated } from '../terminal/http-message.js';
import type { TruthExfil, TruthMove } from '../terminal/truth.js';
import { DnsTunnelUpload } from './dns-tunnel-upload.js';
import { encodeLeak, layoutMoves, leakMediaType } from './leak-format.js';
import type { ScenarioContext } from './scenario.js';
import { us } from './scenario-kit.js';

/** Channels container data can leave by. */
export const LEAK_CHANNELS = ['http', 'https', 'dns', 'mqtt'] as const;
/** One leak channel: plain HTTP POST, HTTPS (TLS 1.3), DNS tunnel, MQTT PUBLISH. */
export type LeakChannel = (typeof LEAK_CHANNELS)[number];

/** Server port of each channel: HTTP 80 (RFC 9110 §4.2.1), HTTPS 443, DNS 53, MQTT 1883 (IANA). */
export const LEAK_PORTS: Readonly<Record<LeakChannel, number>> = { http: 80, https: 443, dns: 53, mqtt: 1883 };
/** Request target of the HTTP and HTTPS uploads. */
export const LEAK_PATH = '/api/v2/telemetry/upload';
/** User-Agent of the uploads (a scripted client). */
export const LEAK_USER_AGENT = 'python-requests/2.31.0';

/** Everything the messages of one exfiltration share. */
export interface LeakRoute {
  ctx: ScenarioContext;
  from: SimHost;
  sink: SimHost;
  channel: LeakChannel;
  /** HTTP Host / TLS SNI / DNS tunnel domain / MQTT topic. */
  name: string;
  /** MQTT client identifier of the uploads. */
  clientId: string;
  /** Round trip to the outside peer, seconds. */
  rttSec: number;
  rng: Prng;
  /** The scenario's truth record, filled as messages go out. */
  exfil: TruthExfil;
  /** Container numbers already listed in `exfil.containers`. */
  seen: Set<string>;
}

/** The HTTP/1.1 upload request (RFC 9112): POST `LEAK_PATH`, Host, User-Agent, Accept, Content-Type, Content-Length, Connection: close, then the body bytes as they are. */
export function uploadRequest(host: string, contentType: string, body: Uint8Array): Uint8Array {
  const head =
    `POST ${LEAK_PATH} HTTP/1.1\r\nHost: ${host}\r\nUser-Agent: ${LEAK_USER_AGENT}\r\nAccept: */*\r\n` +
    `Content-Type: ${contentType}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** Note message `records` (payload `bytes` long) in the route's truth, first data at `frame`/`ts`. */
function note(route: LeakRoute, frame: number, ts: number, records: readonly TruthMove[], bytes: number): void {
  const containers = records.map((r) => r.container);
  route.exfil.messages.push({ frame, ts: us(ts), containers, bytes });
  route.exfil.bytes += bytes;
  for (const c of containers) {
    if (route.seen.has(c)) continue;
    route.seen.add(c);
    route.exfil.containers.push(c);
  }
}

/**
 * The conversation carrying message number `n` (`records` laid out as `exfil.format`, encoded as
 * `exfil.encoding`) from `route.from` to the outside `route.sink`, starting at `ts`:
 * `http` — one POST over a fresh TCP connection (`HttpExchange`), answered 201 Created;
 * `https` — one TLS 1.3 connection (`TlsSession`, SNI `route.name`) whose single request is as long as
 * the same POST would be in clear (the sizes follow the data), answered with 150–250 bytes;
 * `dns` — a `DnsTunnelUpload` of the payload under the domain `route.name`, straight to the outside
 * server (no site resolver in between); `mqtt` — one MQTT 3.1.1 connection publishing the payload
 * with QoS 1 to topic `route.name`, then DISCONNECT. Each notes the message in `route.exfil` when its
 * data goes on the wire.
 */
export function openLeak(route: LeakRoute, ts: number, records: readonly TruthMove[], n: number): Actor {
  const { ctx, from, sink, rng, exfil } = route;
  const body = encodeLeak(layoutMoves(records, exfil.format), exfil.encoding);
  const port = ctx.ports.take(from);
  const rtt = route.rttSec;
  switch (route.channel) {
    case 'http': {
      const conn = new TcpConnection(ctx.fb, from, port, sink, LEAK_PORTS.http, rng);
      const serviceSec = rng.range(0.01, 0.05);
      const req = uploadRequest(route.name, leakMediaType(exfil.format, exfil.encoding), body);
      const resp = encodeCreated(ts + rtt + serviceSec, `/api/v2/telemetry/${n}`, '{"status":"stored"}');
      return new HttpExchange(conn, ts, req, resp, { rttSec: rtt, serviceSec }, ctx.fb, {
        request(frame, at) {
          note(route, frame, at, records, body.length);
        },
      });
    }
    case 'https': {
      const head = uploadRequest(route.name, leakMediaType(exfil.format, exfil.encoding), body).length - body.length;
      let noted = false;
      return new TlsSession(ctx.fb, from, sink, rng, {
        connectTs: ts,
        clientPort: port,
        serverName: route.name,
        alpn: ['http/1.1'],
        rttSec: rtt,
        exchanges: [{ gapSec: 0.002, requestBytes: head + body.length, responseBytes: rng.int(150, 250) }],
        observer: {
          data(frame, at, fromClient) {
            if (!fromClient || noted) return;
            noted = true;
            note(route, frame, at, records, body.length);
          },
        },
      });
    }
    case 'dns':
      return new DnsTunnelUpload(ctx.fb, from, sink, rng, body, n & 0xffff, route.name, ts, [0.05, 0.4], rtt, (frame, at) => note(route, frame, at, records, body.length));
    case 'mqtt': {
      let noted = false;
      return new MqttSession(ctx.fb, from, sink, new MqttPublishList([{ ts: ts + 3 * rtt, topic: route.name, payload: body, qos: 1 }]), rng, {
        connectTs: ts,
        clientPort: port,
        version: MQTT_V311,
        clientId: route.clientId,
        keepAliveSec: 60,
        brokerLatencySec: [rtt, rtt * 1.2],
        close: 'fin',
        observer: {
          packet(frame, at, packet, fromClient) {
            if (!fromClient || noted || packet[0] >>> 4 !== 3) return;
            noted = true;
            note(route, frame, at, records, body.length);
          },
        },
      });
    }
  }
}
