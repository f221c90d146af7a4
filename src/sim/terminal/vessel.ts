import { Prng } from '../random.js';

/** A vessel call at one of the terminal's berths. */
export interface VesselCall {
  /** Berth number, 1-based. */
  berth: number;
  name: string;
  /** ITU call sign. */
  callSign: string;
  /** IMO ship identification number, 7 digits with its check digit (SOLAS XI-1/3). */
  imo: string;
  /** Carrier's voyage number. */
  voyage: string;
  /** Operating carrier code (SMDG liner code). */
  carrier: string;
  /** UN/LOCODEs of the ports the boxes on board were loaded in. */
  previousPorts: readonly string[];
  /** UN/LOCODEs of the ports the boxes loaded here go to. */
  nextPorts: readonly string[];
}

/** Cranes working one vessel (cranes 1–3 on berth 1, 4–6 on berth 2 …). */
export const CRANES_PER_VESSEL = 3;

const NAMES = ['NORDIC HARMONY', 'ATLANTIC MERIDIAN', 'PACIFIC LANTERN', 'CAPE AURORA', 'IBERIAN STAR', 'BALTIC VOYAGER', 'CORAL HORIZON', 'SAGA TRIDENT'];
const CARRIERS = ['MSC', 'MSK', 'CMA', 'HLC', 'ONE', 'COS'];
const ASIA = ['CNSHA', 'CNNGB', 'SGSIN', 'KRPUS', 'CNYTN', 'MYPKG', 'TWKHH'];
const ONWARD = ['GBFXT', 'DEHAM', 'BEANR', 'ESALG', 'USNYC', 'PLGDN', 'FRLEH'];

/**
 * The vessel worked by cranes `(berth − 1)·3 + 1 … berth·3`, drawn from `Prng.derive(seed, "vessel/<berth>")`:
 * a name, call sign, IMO number with a valid check digit, voyage, carrier, three previous Asian ports
 * and three onward ports (UN/LOCODEs of real container ports).
 */
export function vesselCall(seed: number, berth: number): VesselCall {
  const rng = Prng.derive(seed, `vessel/${berth}`);
  const pick = (list: readonly string[], n: number): string[] => {
    const pool = [...list];
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(rng.int(0, pool.length - 1), 1)[0]);
    return out;
  };
  const imo6 = rng.int(910_000, 989_999);
  const digits = String(imo6);
  let sum = 0;
  for (let i = 0; i < 6; i++) sum += Number(digits[i]) * (7 - i);
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return {
    berth,
    name: NAMES[rng.int(0, NAMES.length - 1)],
    callSign: `9V${letters[rng.int(0, 25)]}${letters[rng.int(0, 25)]}${rng.int(2, 9)}`,
    imo: `${digits}${sum % 10}`,
    voyage: `${rng.int(100, 999)}${rng.chance(0.5) ? 'W' : 'E'}`,
    carrier: CARRIERS[rng.int(0, CARRIERS.length - 1)],
    previousPorts: pick(ASIA, 3),
    nextPorts: pick(ONWARD, 3),
  };
}

/**
 * Port of loading and port of discharge of a box (UN/LOCODE): a discharged box came from one of the
 * vessel's previous ports and ends here; a loaded box starts here and goes to one of the next ports.
 * The port is chosen by the box's serial digits, so the same box always gets the same ports.
 */
export function portsOf(vessel: VesselCall, here: string, kind: 'discharge' | 'load', container: string): { portOfLoading: string; portOfDischarge: string } {
  const n = Number(container.slice(4, 10)) % 3;
  return kind === 'discharge' ? { portOfLoading: vessel.previousPorts[n], portOfDischarge: here } : { portOfLoading: here, portOfDischarge: vessel.nextPorts[n] };
}
