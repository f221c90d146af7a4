import type { DnsQueryRecord } from './dns-dialog.js';
import type { MoveKind } from './crane-cycle.js';
import type { VesselClass } from './vessel.js';
import type { YardSlot } from './yard.js';

/** A host of the twin as the ground truth lists it. */
export interface TruthHost {
  name: string;
  role: string;
  ip: string;
  /** MAC, lower-case colon-separated. */
  mac: string;
  vendor: string;
  zone: string;
  crane: string | null;
  /** Present (false) only on hosts a scenario added that the site file's inventory lacks (rogue devices). */
  inventoried?: false;
}

/** Vessel, truck-lane or yard position of a box. */
export type TruthPosition =
  | { type: 'vessel'; bay: number; row: number; tier: number; /** BBBRRTT as BAPLIE and COARRI LOC+147 write it (ISO 9711-1). */ code: string }
  | { type: 'truck'; lane: number };

/** One container move (DESIGN.md "container move"). Times are seconds since the epoch (µs resolution). */
export interface TruthMove {
  craneId: string;
  /** 0-based move number of the crane. */
  seq: number;
  /**
   * Discharge, load, or restow: a box that stays on board, taken ashore onto a truck lane (from the
   * vessel) and reloaded into its cell (to the vessel) later — two restow moves.
   */
  kind: MoveKind;
  /** ISO 6346 number, check digit valid. */
  container: string;
  isoType: string;
  sizeFt: 20 | 40 | 45;
  grossKg: number;
  /** Yard block-bay-row-tier the box goes to (discharge) or came from (load), as the TOS assigns it. */
  yard: YardSlot;
  from: TruthPosition;
  to: TruthPosition;
  vessel: { name: string; imo: string; voyage: string };
  /** UN/LOCODEs of the box's port of loading and port of discharge. */
  portOfLoading: string;
  portOfDischarge: string;
  startTs: number;
  endTs: number;
  lockTs: number;
  unlockTs: number;
}

/** A Modbus write or command request the twin sent (tshark: `mbtcp.trans_id`, `modbus.func_code`, `modbus.reference_num`). */
export interface TruthModbusWrite {
  frame: number;
  ts: number;
  src: string;
  dst: string;
  craneId: string;
  unitId: number;
  transId: number;
  functionCode: number;
  /** 0-based protocol address of the first item. */
  address: number;
  /** Raw register (or coil 0/1) values written. */
  values: number[];
  /** Signal name from the crane's register map ('' when unmapped). */
  signal: string;
  /** Id of the scenario that sent the write (`ScenarioTruth.id`); absent for the twin's normal traffic. */
  scenario?: string;
}

/**
 * One HTTP request to the TOS's API (tshark: `http.request.method`, `http.request.uri`, `http.host`):
 * an OCR read or job-done record POSTed (answered 201), or a work-order GET (answered 200).
 */
export interface TruthHttpRequest {
  frame: number;
  ts: number;
  src: string;
  srcPort: number;
  dst: string;
  dstPort: number;
  method: 'POST' | 'GET';
  uri: string;
  host: string;
  kind: 'ocr_read' | 'job_done' | 'work_order';
  craneId: string;
  container: string;
}

/** One EDIFACT COARRI report the TOS sent to the EDI gateway (AS2 over HTTP). */
export interface TruthCoarriReport {
  frame: number;
  ts: number;
  src: string;
  dst: string;
  uri: string;
  berth: number;
  /** Call number at the berth (1-based). */
  call: number;
  vessel: string;
  voyage: string;
  /**
   * BGM 1001: 98 discharge report (boxes taken off the vessel: discharges and restows taken ashore),
   * 46 loading report (boxes put on board: loads and restows reloaded).
   */
  documentCode: '98' | '46';
  kind: 'discharge' | 'load';
  /** Restow legs among `containers` (written with EQD 8249 status 5, shifter). */
  restows: number;
  messageRef: string;
  /** Container numbers reported, in report order. */
  containers: string[];
}

/**
 * One vessel's BAPLIE (UN/EDIFACT D.95B, SMDG 2.2) the EDI gateway sent to the TOS at the vessel's
 * arrival (AS2 over HTTP, POST to the TOS's AS2 receiver). `frame` is the request's last frame.
 */
export interface TruthBaplieMessage {
  frame: number;
  ts: number;
  src: string;
  dst: string;
  uri: string;
  berth: number;
  /** Call number at the berth (1-based). */
  call: number;
  vessel: string;
  voyage: string;
  /** UNH 0062 message reference (also the UNB control reference). */
  messageRef: string;
  /** Containers (EQD+CN) in the plan. */
  containers: number;
}

/**
 * One work order the TOS gave a crane's CMS: the answer to the CMS's
 * `GET /api/v1/workorders/next?crane=<id>` a few seconds before the move starts. `frame` and `ts` are
 * those of the response's last frame (the order is in its body); `requestFrame` the GET's.
 */
export interface TruthWorkOrder {
  frame: number;
  requestFrame: number;
  ts: number;
  craneId: string;
  /** Work order id, `<crane>-WO<move number, 6 digits>`. */
  id: string;
  kind: MoveKind;
  container: string;
  from: TruthPosition;
  to: TruthPosition;
}

/**
 * One vessel call at a berth: the vessel, its hull (ISO 9711-1 cell grid), the 40-ft bays each of the
 * berth's cranes works, and its time alongside. Times are seconds since the epoch (µs resolution).
 */
export interface TruthVesselCall {
  berth: number;
  /** 1-based call number at the berth. */
  call: number;
  name: string;
  imo: string;
  callSign: string;
  voyage: string;
  carrier: string;
  hull: { vesselClass: VesselClass; bays40: number; rows: number; deckTiers: number; holdTiers: number };
  /** Per crane of the berth (site order): crane id and the even 40-ft bay numbers it works. */
  cranes: Array<{ craneId: string; bays: number[] }>;
  /** Moves the call takes: discharge and load of every worked cell (restows included). */
  plannedMoves: number;
  /** Arrival (first line ashore); before the run start for call 1. */
  arrivalTs: number;
  /** Departure, or null when the vessel is still alongside at the end of the run. */
  departureTs: number | null;
}

/** MQTT PUBLISH packets of one topic of the CMS's historian feed (tshark: `mqtt.topic`, `mqtt.msgtype == 3`). */
export interface TruthMqttTopic {
  topic: string;
  craneId: string;
  publishes: number;
}

/** The CMS's poll of one PLC. */
export interface TruthPoll {
  craneId: string;
  client: string;
  server: string;
  clientPort: number;
  unitId: number;
  intervalSec: number;
  blocks: Array<{ fc: number; address: number; quantity: number }>;
  requests: number;
  responses: number;
}

/** Everything the twin put in the capture that an analyzer should recover. */
export interface TerminalTruth {
  seed: number;
  startTs: number;
  endTs: number;
  site: { name: string; unlocode: string };
  hosts: TruthHost[];
  polls: TruthPoll[];
  /** Moves whose twistlocks were unlocked before `endTs`, by unlock time. */
  moves: TruthMove[];
  modbusWrites: TruthModbusWrite[];
  httpRequests: TruthHttpRequest[];
  dnsQueries: DnsQueryRecord[];
  coarriReports: TruthCoarriReport[];
  /** Vessel calls at the berths that arrived before `endTs`, by berth then call. */
  vesselCalls: TruthVesselCall[];
  /** BAPLIE bay plans received from the carriers, one per vessel call (empty without an EDI gateway). */
  baplieMessages: TruthBaplieMessage[];
  /** Work orders fetched by the CMS, one per move started within the run, by response frame. */
  workOrders: TruthWorkOrder[];
  ntpExchanges: number;
  /** Per crane-state topic, PUBLISH packets sent to the historian's broker (empty without a historian). */
  mqttPublishes: TruthMqttTopic[];
  /** Attack, fault and benign scenarios played into the capture, in the order they were given. */
  scenarios: ScenarioTruth[];
  packets: number;
  /** Frame bytes written (captured lengths, without capture-file headers). */
  frameBytes: number;
}

/** An ATT&CK for ICS technique: id (e.g. "T0855") and name as the matrix spells it. */
export interface TruthTechnique {
  id: string;
  name: string;
}

/** A span during which a scenario held a crane still (stop command, PLC stop, shift change). */
export interface TruthCraneHold {
  craneId: string;
  /** Wall-clock span, seconds since the epoch (µs resolution). */
  fromTs: number;
  untilTs: number;
  /** `operating_mode` the PLC reports meanwhile (0 off, 2 semi-automatic, …). */
  mode: number;
}

/**
 * One scenario as played (src/sim/scenarios): what it did, when, between which hosts, which ATT&CK
 * for ICS techniques it exercises and which detections it should raise. `startTs`/`endTs` bound the
 * frames it actually emitted (seconds since the epoch, µs resolution).
 */
export interface ScenarioTruth {
  /** `<scenario>#<n>`, n counting the runs of that scenario from 1 (e.g. "unauthorized-write#1"). */
  id: string;
  scenario: string;
  kind: 'attack' | 'fault' | 'benign';
  /** True for scenarios that must raise nothing (false-positive measurement). */
  benign: boolean;
  /** Parameters as resolved (defaults filled in). */
  params: Record<string, unknown>;
  startTs: number;
  endTs: number;
  /** Hosts acting (attacker, scanner, or for benign scenarios the engineer) and the hosts they target, IPv4. */
  hosts: { attackers: string[]; targets: string[] };
  craneIds: string[];
  techniques: TruthTechnique[];
  /** ATT&CK for ICS release the technique ids come from (e.g. "v17"). */
  attackVersion: string;
  /** Stable detection names the detectors should raise ('unauthorized_write', 'recon_scan', …); [] when benign. */
  expected: string[];
  description: string;
  /** Cranes the scenario held still, and when. */
  holds: TruthCraneHold[];
  /** The site maintenance window the activity fell in (benign maintenance), or null. */
  maintenanceWindow: { startTs: number; endTs: number } | null;
  /** Modbus requests, and of them writes (fc 5, 6, 15, 16), the scenario sent; TCP probes of a port scan. */
  modbusRequests: number;
  modbusWrites: number;
  tcpProbes: number;
  /** Container data a `container-exfil` scenario sent out (present only on those scenarios). */
  exfil?: TruthExfil;
  /** Container numbers a `covert-modbus` scenario hid in PLC registers (present only on those scenarios). */
  covert?: TruthCovertModbus;
  /** The sensors a sensor scenario made read wrongly (present only on those scenarios). */
  sensorFaults?: TruthSensorFault[];
}

/**
 * One sensor that read wrongly (src/sim/terminal/crane-model.ts `addSensorFault`): what the PLC
 * stored and the CMS forwarded departed from the true process value over [fromTs, untilTs).
 */
export interface TruthSensorFault {
  craneId: string;
  /** Crane signal name (register-map name), e.g. "wind_speed_ms", "hoist_position_mm". */
  signal: string;
  /** freeze: held at its true value at `fromTs`; drift: true + rate × (t − fromTs); stuck / spoof: a given value. */
  kind: 'freeze' | 'drift' | 'stuck' | 'spoof';
  /** Seconds since the epoch, µs resolution. */
  fromTs: number;
  untilTs: number;
  /** stuck: the constant; spoof: the forged level (engineering units of the signal); else null. */
  value: number | null;
  /** drift: units of the signal per second; else null. */
  ratePerSec: number | null;
}

/** One message of container data leaving the terminal (one HTTP POST, TLS upload, DNS query series or MQTT PUBLISH). */
export interface TruthExfilMessage {
  /** 1-based number of the first frame carrying the message's data (`frame.number`). */
  frame: number;
  /** Time of that frame, seconds since the epoch (µs resolution). */
  ts: number;
  /** Container numbers (ISO 6346) of the move records the message carries, in record order. */
  containers: string[];
  /** Encoded payload bytes (HTTP body, TLS plaintext body, tunnelled bytes, MQTT payload). */
  bytes: number;
}

/** What a `container-exfil` scenario leaked: channel, encoding, destination and every message. */
export interface TruthExfil {
  channel: 'http' | 'https' | 'dns' | 'mqtt';
  encoding: 'plain' | 'base64' | 'hex' | 'gzip';
  /** Record layout before encoding: a JSON array or CSV with a header line. */
  format: 'json' | 'csv';
  /** Sending host and the outside address, IPv4 dotted quad; destination port (80, 443, 53, 1883). */
  src: string;
  dst: string;
  dstPort: number;
  /** HTTP Host, TLS SNI, DNS tunnel domain or MQTT topic the data went to. */
  name: string;
  messages: TruthExfilMessage[];
  /** Distinct container numbers leaked, in the order first sent. */
  containers: string[];
  /** Sum of the messages' encoded payload bytes. */
  bytes: number;
}

/** Container numbers a `covert-modbus` scenario wrote into unmapped holding registers of a PLC (a dead drop). */
export interface TruthCovertModbus {
  craneId: string;
  /** Writer and reader of the dead drop, IPv4 dotted quad. */
  writer: string;
  reader: string;
  /** First 0-based holding register of the drop and its size in registers (slots × 6). */
  address: number;
  quantity: number;
  /** Container numbers written, in write order (each as 11 ASCII characters in 6 registers, high byte first). */
  containers: string[];
}
