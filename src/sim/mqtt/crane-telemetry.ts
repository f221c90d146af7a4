import type { Prng } from '../random.js';
import { type CraneModel, Sig } from '../terminal/crane-model.js';
import { MQTT_V5, type MqttVersion } from './constants.js';
import type { MqttMessage } from './packets.js';
import type { MqttPublishScript } from './session.js';

/** One crane whose state is published. */
export interface TelemetryCrane {
  /** Crane id as the site file writes it, e.g. "STS-01". */
  id: string;
  model: CraneModel;
}

/** Shortest and longest publish interval per crane, seconds. */
const INTERVAL_SEC: readonly [number, number] = [1, 5];
/** Each gap varies by up to this fraction of the crane's interval. */
const JITTER = 0.02;
/** v5 Message Expiry Interval of a state message, seconds: a stale state is not worth delivering. */
const EXPIRY_SEC = 60;
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const K_TS = ascii('","ts":');
const K_HOIST = ascii(',"hoist_mm":');
const K_TROLLEY = ascii(',"trolley_mm":');
const K_GANTRY = ascii(',"gantry_mm":');
const K_LOAD = ascii(',"load_kg":');
const K_WIND = ascii(',"wind_ms":');
const K_LOCKED = ascii(',"twistlocks":"locked","moves":');
const K_UNLOCKED = ascii(',"twistlocks":"unlocked","moves":');

/**
 * The CMS's historian feed: for each crane, every 1–5 s (a per-crane interval drawn once, ±2 % per
 * gap), one QoS 1 PUBLISH to `<topicPrefix>/<crane id lower-case>/state` whose payload is the
 * crane's state as JSON: `{"crane":"STS-01","ts":<ms since the epoch>,"hoist_mm":…,"trolley_mm":…,
 * "gantry_mm":…,"load_kg":…,"wind_ms":<one decimal>,"twistlocks":"locked"|"unlocked","moves":…}`
 * (positions mm, load kg including the spreader, wind m/s, completed moves). With MQTT 5 the message
 * carries Payload Format Indicator 1, Content Type application/json and a 60 s Message Expiry
 * Interval (5.0 §3.3.2.3). Payloads are written as ASCII digits into one buffer; no allocation per
 * publish.
 */
export class CraneTelemetryScript implements MqttPublishScript {
  /** Topic of each crane, in the order given. */
  readonly topics: readonly string[];
  /** Publishes filled per crane. */
  readonly counts: number[];
  private readonly due: Float64Array;
  private readonly interval: Float64Array;
  private readonly heads: Uint8Array[];
  private readonly sample = new Float64Array(16);
  private readonly buf = new Uint8Array(512);
  private readonly digits = new Uint8Array(24);
  private cur = 0;

  /**
   * @param startTs time of the first possible publish, seconds since the epoch; each crane's first
   *   publish falls within its interval after it.
   */
  constructor(
    private readonly cranes: readonly TelemetryCrane[],
    topicPrefix: string,
    private readonly version: MqttVersion,
    private readonly rng: Prng,
    startTs: number,
  ) {
    this.topics = cranes.map((c) => `${topicPrefix}/${c.id.toLowerCase()}/state`);
    this.counts = cranes.map(() => 0);
    this.heads = cranes.map((c) => ascii(`{"crane":"${c.id}`));
    this.interval = new Float64Array(cranes.length);
    this.due = new Float64Array(cranes.length);
    for (let i = 0; i < cranes.length; i++) {
      this.interval[i] = rng.range(INTERVAL_SEC[0], INTERVAL_SEC[1]);
      this.due[i] = startTs + rng.range(0, this.interval[i]);
    }
  }

  nextPublishTs(_afterTs: number): number {
    let best = Infinity;
    for (let i = 0; i < this.due.length; i++) {
      if (this.due[i] < best) {
        best = this.due[i];
        this.cur = i;
      }
    }
    return best;
  }

  fill(ts: number, msg: MqttMessage): boolean {
    const i = this.cur;
    const s = this.sample;
    this.cranes[i].model.sample(ts, s);
    const b = this.buf;
    let p = put(b, 0, this.heads[i]);
    p = put(b, p, K_TS);
    p = this.int(p, Math.round(ts * 1000));
    p = put(b, p, K_HOIST);
    p = this.int(p, s[Sig.HOIST]);
    p = put(b, p, K_TROLLEY);
    p = this.int(p, s[Sig.TROLLEY]);
    p = put(b, p, K_GANTRY);
    p = this.int(p, s[Sig.GANTRY]);
    p = put(b, p, K_LOAD);
    p = this.int(p, s[Sig.LOAD]);
    p = put(b, p, K_WIND);
    const tenths = Math.round(s[Sig.WIND] * 10);
    p = this.int(p, Math.trunc(tenths / 10));
    b[p++] = 0x2e; // '.'
    b[p++] = 0x30 + (Math.abs(tenths) % 10);
    p = put(b, p, s[Sig.LOCKED] !== 0 ? K_LOCKED : K_UNLOCKED);
    p = this.int(p, s[Sig.MOVES]);
    b[p++] = 0x7d; // '}'
    msg.topic = this.topics[i];
    msg.payload = b;
    msg.payloadOff = 0;
    msg.payloadLen = p;
    msg.qos = 1;
    msg.retain = false;
    const v5 = this.version === MQTT_V5;
    msg.utf8Payload = v5;
    msg.contentType = v5 ? 'application/json' : null;
    msg.messageExpirySec = v5 ? EXPIRY_SEC : -1;
    this.counts[i]++;
    this.due[i] = ts + this.interval[i] * (1 + JITTER * (2 * this.rng.float() - 1));
    return true;
  }

  /** Write integer `v` in decimal ASCII at `buf[p]`; returns the offset after it. */
  private int(p: number, v: number): number {
    const b = this.buf;
    let x = Math.round(v);
    if (x < 0) {
      b[p++] = 0x2d; // '-'
      x = -x;
    }
    const d = this.digits;
    let n = 0;
    do {
      d[n++] = 0x30 + (x % 10);
      x = Math.floor(x / 10);
    } while (x > 0);
    while (n > 0) b[p++] = d[--n];
    return p;
  }
}

/** Copy `src` to `dst[p]`; returns the offset after it. */
function put(dst: Uint8Array, p: number, src: Uint8Array): number {
  for (let i = 0; i < src.length; i++) dst[p + i] = src[i];
  return p + src.length;
}
