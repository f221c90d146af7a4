import { PcapWriter } from '../capture/pcap-writer.js';
import { LinkType } from '../capture/packet.js';
import { CwError } from '../errors.js';
import { DemoCrane } from './demo-crane.js';
import { DEMO_CRANES, DEMO_HOSTS, DEMO_REGISTER_MAP, DemoRegister } from './demo-site.js';
import { FunctionCode } from './modbus/constants.js';
import { PollScript } from './modbus/poll-script.js';
import { RegisterBank } from './modbus/register-bank.js';
import { RequestListScript } from './modbus/request-list-script.js';
import { ModbusServer } from './modbus/server.js';
import { type ModbusAduObserver, ModbusTcpSession } from './modbus/session.js';
import { formatIpv4, formatMac } from './net/address.js';
import { ArpExchange } from './net/arp-exchange.js';
import { FrameBuilder } from './net/frame-builder.js';
import type { FrameSink } from './net/frame-sink.js';
import { createHost, ephemeralPort, type SimHost } from './net/host.js';
import { CLIENT, SERVER, TcpConnection } from './net/tcp-connection.js';
import { type TcpStep, TcpScriptSession } from './net/tcp-script.js';
import { Prng } from './random.js';
import { Scheduler } from './scheduler.js';
import { applicationData, changeCipherSpec, clientHello, concatRecords, serverHelloFlight } from './tls/records.js';

/** Start of the demo capture: 2025-03-14T08:00:00Z, seconds since the epoch. */
export const DEMO_START_TS = 1_741_939_200;
/** Default seed of the demo capture. */
export const DEMO_DEFAULT_SEED = 1;
/** Default length of the demo capture, seconds. */
export const DEMO_DEFAULT_DURATION_SEC = 120;
/** Shortest demo that still holds every scripted event, seconds. */
export const DEMO_MIN_DURATION_SEC = 10;
/** CMS poll period, seconds. */
export const DEMO_POLL_INTERVAL_SEC = 0.25;

/** Options of the demo capture. */
export interface DemoOptions {
  /** PRNG seed (integer 0 … 2^32 − 1); default 1. */
  seed?: number;
  /** Capture length in seconds (≥ 10); default 120. */
  durationSec?: number;
}

/** A host as the ground truth lists it. */
export interface DemoTruthHost {
  name: string;
  role: string;
  ip: string;
  /** MAC as lower-case colon-separated text. */
  mac: string;
  vendor: string;
  inventoried: boolean;
}

/** One Modbus/TCP ADU the generator put on the wire (tshark: `mbtcp.*`, `modbus.*`). */
export interface DemoModbusAdu {
  /** 1-based frame number (`frame.number`). */
  frame: number;
  ts: number;
  src: string;
  dst: string;
  /** `mbtcp.trans_id`, `mbtcp.unit_id`, `modbus.func_code` (with the 0x80 bit on exceptions). */
  transId: number;
  unitId: number;
  functionCode: number;
  isResponse: boolean;
  /** `modbus.exception_code`, or -1 for a normal PDU. */
  exceptionCode: number;
}

/** A register write the capture holds (Modbus AP V1.1b3 §6.6 / §6.12). */
export interface DemoWrite {
  /** Time and frame of the request. */
  ts: number;
  frame: number;
  src: string;
  dst: string;
  unitId: number;
  functionCode: number;
  transId: number;
  /** 0-based holding register address and the value written. */
  register: number;
  value: number;
  /** Signal name of the register in the demo register map. */
  signal: string;
}

/** The facts an analyzer should recover from the demo capture. */
export interface DemoTruth {
  seed: number;
  startTs: number;
  endTs: number;
  hosts: DemoTruthHost[];
  /** CMS polling: one long-lived TCP connection per PLC, function 3 every 250 ms. */
  polls: Array<{
    client: string;
    server: string;
    clientPort: number;
    craneId: string;
    unitId: number;
    functionCode: number;
    address: number;
    quantity: number;
    intervalSec: number;
    requests: number;
    responses: number;
  }>;
  /** The operator HMI's setpoint write (authorized). */
  legitimateWrite: DemoWrite;
  /** The write from the laptop that is in no inventory (unauthorized). */
  unexpectedWrite: DemoWrite;
  /** The laptop's reconnaissance before its write: device identification read and a probe answered with an exception. */
  reconnaissance: DemoModbusAdu[];
  /** TCP/443 (TLS) from the unapproved cellular modem to an address outside the terminal. */
  outsideFlow: {
    ts: number;
    src: string;
    srcPort: number;
    dst: string;
    dstPort: number;
    proto: 'tcp';
    service: 'tls';
    serverName: string;
  };
  /** The ARP exchange (modem resolving the gateway). */
  arp: { ts: number; requesterIp: string; requesterMac: string; targetIp: string; targetMac: string };
  /** Every Modbus ADU in frame order. */
  modbusAdus: DemoModbusAdu[];
}

/** Result of `writeDemoCapture`. */
export interface DemoCaptureResult {
  /** Packets (frames) written. */
  packets: number;
  /** Size of the capture file, bytes (24-byte header, 16 bytes per record, frame bytes). */
  bytes: number;
  truth: DemoTruth;
}

/** A time rounded to the microsecond, as the capture stores it. */
function usec(ts: number): number {
  return Math.round(ts * 1e6) / 1e6;
}

/** Records every ADU of one session into the truth list. */
class AduRecorder implements ModbusAduObserver {
  constructor(
    private readonly list: DemoModbusAdu[],
    private readonly client: string,
    private readonly server: string,
  ) {}

  adu(frame: number, ts: number, adu: Uint8Array, off: number, _len: number, fromClient: boolean): void {
    const fc = adu[off + 7];
    this.list.push({
      frame,
      ts: usec(ts),
      src: fromClient ? this.client : this.server,
      dst: fromClient ? this.server : this.client,
      transId: (adu[off] << 8) | adu[off + 1],
      unitId: adu[off + 6],
      functionCode: fc,
      isResponse: !fromClient,
      exceptionCode: (fc & 0x80) !== 0 ? adu[off + 8] : -1,
    });
  }
}

/** A register write a scripted client makes. */
interface WriteSpec {
  register: number;
  value: number;
  signal: string;
}

const HMI_SETPOINT: WriteSpec = { register: DemoRegister.HOIST_SPEED_LIMIT, value: 80, signal: 'hoist_speed_limit' };
const INTRUDER_WRITE: WriteSpec = { register: DemoRegister.WIND_STOP_THRESHOLD, value: 450, signal: 'wind_stop_threshold' };
const PROBE_ADDRESS = 4000;
const SERVER_NAME = 'rms.modem-vendor.example';

/**
 * Generate the demo crane network traffic into `sink` (Ethernet frames, time-ordered):
 * a CMS (10.10.1.10) polling the PLCs of STS-01 (10.10.2.11) and STS-02 (10.10.2.12) with Modbus/TCP
 * function 3 every 250 ms over one long-lived connection each; the operator HMI (10.10.2.21) writing
 * a setpoint once; an uninventoried laptop (10.10.9.66) reading STS-01's device identification,
 * probing an unmapped register and writing the wind-stop threshold; and an unapproved Teltonika
 * cellular modem (10.10.2.99) resolving the gateway by ARP and opening a TLS session to 203.0.113.50:443.
 * Deterministic: the same options give byte-identical frames.
 * @throws CwError CW_ERR_CONFIG when the seed or duration is invalid.
 */
export function generateDemo(sink: FrameSink, opts: DemoOptions = {}): { packets: number; frameBytes: number; truth: DemoTruth } {
  const seed = opts.seed ?? DEMO_DEFAULT_SEED;
  const duration = opts.durationSec ?? DEMO_DEFAULT_DURATION_SEC;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new CwError('CW_ERR_CONFIG', `demo seed must be an integer 0-4294967295, got ${seed}`);
  }
  if (!Number.isFinite(duration) || duration < DEMO_MIN_DURATION_SEC) {
    throw new CwError('CW_ERR_CONFIG', `demo duration must be at least ${DEMO_MIN_DURATION_SEC} s, got ${duration}`);
  }
  const start = DEMO_START_TS;
  const end = start + duration;
  const fb = new FrameBuilder(sink);
  const sched = new Scheduler();
  const hosts = new Map<string, SimHost>();
  for (const h of DEMO_HOSTS) {
    hosts.set(h.name, createHost({ name: h.name, mac: h.mac, ip: h.ip, stack: h.stack, ttl: h.ttl }, Prng.derive(seed, `host/${h.name}`)));
  }
  const host = (name: string): SimHost => hosts.get(name) as SimHost;
  const ip = (name: string): string => formatIpv4(host(name).ip);
  const adus: DemoModbusAdu[] = [];

  // PLCs and the CMS polls.
  const servers = new Map<string, ModbusServer>();
  const pollSessions: Array<{ session: ModbusTcpSession; craneId: string; unitId: number }> = [];
  DEMO_CRANES.forEach((c, i) => {
    const bank = new RegisterBank({ coils: 16, discreteInputs: 16, inputRegisters: 16, holdingRegisters: 128 });
    bank.holdingRegisters[DemoRegister.WIND_STOP_THRESHOLD] = 250;
    bank.holdingRegisters[DemoRegister.HOIST_SPEED_LIMIT] = 100;
    const crane = new DemoCrane(Prng.derive(seed, `crane/${c.craneId}`), start, c.gantryMm, 6.5 + i * 0.4);
    const server = new ModbusServer(bank, c.identity, crane);
    servers.set(c.plc, server);
    const rng = Prng.derive(seed, `poll/${c.craneId}`);
    const offset = i * 0.0137;
    const script = new PollScript(
      {
        startTs: start + 0.1 + offset,
        intervalSec: DEMO_POLL_INTERVAL_SEC,
        jitterSec: 0.002,
        unit: c.unitId,
        fc: FunctionCode.READ_HOLDING_REGISTERS,
        address: DEMO_REGISTER_MAP.poll.address,
        quantity: DEMO_REGISTER_MAP.poll.quantity,
      },
      rng,
    );
    const session = new ModbusTcpSession(fb, host('cms'), host(c.plc), server, script, rng, {
      connectTs: start + offset,
      clientPort: ephemeralPort(host('cms'), rng),
      firstTid: 1,
      close: 'none',
      observer: new AduRecorder(adus, ip('cms'), ip(c.plc)),
    });
    pollSessions.push({ session, craneId: c.craneId, unitId: c.unitId });
    sched.add(session);
  });

  // The operator HMI's setpoint write.
  const hmiTs = start + 0.37 * duration;
  const hmiRng = Prng.derive(seed, 'session/hmi');
  const sts01 = DEMO_CRANES[0];
  sched.add(
    new ModbusTcpSession(
      fb,
      host('sts-hmi'),
      host(sts01.plc),
      servers.get(sts01.plc) as ModbusServer,
      new RequestListScript([
        { ts: hmiTs + 0.05, request: { fc: 6, unit: sts01.unitId, address: HMI_SETPOINT.register, value: HMI_SETPOINT.value } },
      ]),
      hmiRng,
      {
        connectTs: hmiTs,
        clientPort: ephemeralPort(host('sts-hmi'), hmiRng),
        firstTid: hmiRng.int(0, 0xffff),
        close: 'fin',
        observer: new AduRecorder(adus, ip('sts-hmi'), ip(sts01.plc)),
      },
    ),
  );

  // The laptop: identification read, a probe of an unmapped register, the write; then it closes.
  const lapTs = start + 0.655 * duration;
  const lapRng = Prng.derive(seed, 'session/laptop');
  sched.add(
    new ModbusTcpSession(
      fb,
      host('laptop'),
      host(sts01.plc),
      servers.get(sts01.plc) as ModbusServer,
      new RequestListScript([
        { ts: lapTs + 0.1, request: { fc: 43, unit: sts01.unitId, code: 1, objectId: 0 } },
        { ts: lapTs + 1.2, request: { fc: 3, unit: sts01.unitId, address: PROBE_ADDRESS, quantity: 10 } },
        { ts: lapTs + 2.6, request: { fc: 6, unit: sts01.unitId, address: INTRUDER_WRITE.register, value: INTRUDER_WRITE.value } },
      ]),
      lapRng,
      {
        connectTs: lapTs,
        clientPort: ephemeralPort(host('laptop'), lapRng),
        firstTid: 0,
        close: 'fin',
        closeDelaySec: 0.3,
        observer: new AduRecorder(adus, ip('laptop'), ip(sts01.plc)),
      },
    ),
  );

  // The cellular modem: ARP for the gateway, then a TLS session to the vendor cloud.
  const arpTs = start + 0.26 * duration;
  sched.add(new ArpExchange(fb, host('modem'), host('gateway'), arpTs, 0.0004));
  const tlsRng = Prng.derive(seed, 'session/modem-tls');
  const tlsTs = arpTs + 0.002;
  const tlsPort = ephemeralPort(host('modem'), tlsRng);
  const tlsConn = new TcpConnection(fb, host('modem'), tlsPort, host('vendor-cloud'), 443, tlsRng);
  sched.add(new TcpScriptSession(tlsConn, tlsTs, tlsSteps(tlsRng)));

  sched.run(end);

  const truthHost = (name: string): DemoTruthHost => {
    const h = DEMO_HOSTS.find((x) => x.name === name) as (typeof DEMO_HOSTS)[number];
    return { name: h.name, role: h.role, ip: ip(name), mac: formatMac(host(name).mac), vendor: h.vendor, inventoried: h.inventoried };
  };
  const writeOf = (src: string, w: WriteSpec): DemoWrite => {
    const a = adus.find((x) => x.src === src && !x.isResponse && x.functionCode === FunctionCode.WRITE_SINGLE_REGISTER) as DemoModbusAdu;
    return {
      ts: a.ts,
      frame: a.frame,
      src: a.src,
      dst: a.dst,
      unitId: a.unitId,
      functionCode: a.functionCode,
      transId: a.transId,
      register: w.register,
      value: w.value,
      signal: w.signal,
    };
  };
  const laptopIp = ip('laptop');
  const truth: DemoTruth = {
    seed,
    startTs: start,
    endTs: end,
    hosts: DEMO_HOSTS.map((h) => truthHost(h.name)),
    polls: pollSessions.map((p) => ({
      client: formatIpv4(p.session.client.ip),
      server: formatIpv4(p.session.server.ip),
      clientPort: p.session.conn.port(CLIENT),
      craneId: p.craneId,
      unitId: p.unitId,
      functionCode: FunctionCode.READ_HOLDING_REGISTERS,
      address: DEMO_REGISTER_MAP.poll.address,
      quantity: DEMO_REGISTER_MAP.poll.quantity,
      intervalSec: DEMO_POLL_INTERVAL_SEC,
      requests: p.session.requests,
      responses: p.session.responses,
    })),
    legitimateWrite: writeOf(ip('sts-hmi'), HMI_SETPOINT),
    unexpectedWrite: writeOf(laptopIp, INTRUDER_WRITE),
    reconnaissance: adus.filter((a) => (a.src === laptopIp || a.dst === laptopIp) && a.functionCode !== FunctionCode.WRITE_SINGLE_REGISTER),
    outsideFlow: {
      ts: usec(tlsTs),
      src: ip('modem'),
      srcPort: tlsPort,
      dst: ip('vendor-cloud'),
      dstPort: 443,
      proto: 'tcp',
      service: 'tls',
      serverName: SERVER_NAME,
    },
    arp: {
      ts: usec(arpTs),
      requesterIp: ip('modem'),
      requesterMac: truthHost('modem').mac,
      targetIp: ip('gateway'),
      targetMac: truthHost('gateway').mac,
    },
    modbusAdus: adus,
  };
  return { packets: fb.frames, frameBytes: fb.bytes, truth };
}

/**
 * The modem's TLS 1.3 check-in (RFC 8446 shapes, see tls/records.ts) as TCP steps: handshake,
 * ClientHello, the server's flight (several MSS-sized segments), the client's Finished and request,
 * the server's ticket and answer, a heartbeat a little later, then a FIN exchange. RTT 38 ms.
 */
function tlsSteps(rng: Prng): TcpStep[] {
  const rtt = 0.038;
  const hello = clientHello(rng, SERVER_NAME);
  const steps: TcpStep[] = [];
  let t = 0;
  const at = (dt: number, side: 0 | 1, op: TcpStep['op'], data?: Uint8Array): void => {
    t += dt;
    steps.push(data === undefined ? { at: t, side, op } : { at: t, side, op, data });
  };
  at(0, CLIENT, 'syn');
  at(rtt, SERVER, 'synack');
  at(0.0003, CLIENT, 'ack');
  at(0.0004, CLIENT, 'data', hello.record);
  at(rtt + 0.004, SERVER, 'data', serverHelloFlight(rng, hello.sessionId, 2_870));
  at(0.0011, CLIENT, 'data', concatRecords(changeCipherSpec(), applicationData(rng, 53)));
  at(0.0002, CLIENT, 'data', applicationData(rng, 431));
  at(rtt + 0.009, SERVER, 'data', concatRecords(applicationData(rng, 233), applicationData(rng, 612)));
  at(0.04, CLIENT, 'ack');
  at(1.5, CLIENT, 'data', applicationData(rng, 96));
  at(rtt + 0.002, SERVER, 'data', applicationData(rng, 48));
  at(0.04, CLIENT, 'ack');
  at(0.5, CLIENT, 'fin');
  at(rtt, SERVER, 'fin');
  at(0.0003, CLIENT, 'ack');
  return steps;
}

/**
 * Write the demo capture (see `generateDemo`) to `path` as classic pcap, LINKTYPE_ETHERNET,
 * microsecond timestamps, using the project's `PcapWriter`. About 0.3 MB for the default 120 s.
 * @throws CwError CW_ERR_WRITE when the file cannot be written, CW_ERR_CONFIG on bad options.
 */
export function writeDemoCapture(path: string, opts: DemoOptions = {}): DemoCaptureResult {
  const writer = PcapWriter.toFile(path, { linkType: LinkType.ETHERNET });
  let result: ReturnType<typeof generateDemo>;
  try {
    result = generateDemo(writer, opts);
  } finally {
    writer.close();
  }
  return { packets: result.packets, bytes: 24 + 16 * result.packets + result.frameBytes, truth: result.truth };
}
