/**
 * UN/LOCODE, the United Nations Code for Trade and Transport Locations (UNECE Recommendation No. 16):
 * a 5-character code made of the ISO 3166-1 alpha-2 country code (2 letters) and a 3-character
 * location code of letters A–Z and digits 2–9 (Rec. 16 excludes 0 and 1, which read like O and I).
 * The code list prints the two parts with a space (`CR MOB`); EDI writes them together (`CRMOB`,
 * e.g. in EDIFACT LOC C517/3225 with code list 139, agency 6).
 *
 * `MAJOR_PORTS` is a small display subset — the container ports a terminal twin and its reports name
 * most — not the code list (about 116 000 entries). Codes and names are those of the UNECE UN/LOCODE
 * code list (https://unece.org/trade/cefact/unlocode-code-list-country-and-territory), 2024 edition,
 * names without diacritics in `nameAscii`. A well-formed code that is not in the subset is
 * "valid format, unknown", never an error.
 */

/** Why a text is not a UN/LOCODE: wrong length, bad characters, or a country part that ISO 3166-1 does not assign. */
export type UnlocodeError = 'length' | 'format' | 'country';

/** A well-formed UN/LOCODE. */
export interface Unlocode {
  ok: true;
  /** The 5 characters upper-cased without the space, e.g. `CRMOB`. */
  code: string;
  /** ISO 3166-1 alpha-2 country code (or `XZ`, UN/LOCODE's code for installations in international waters). */
  country: string;
  /** The 3-character location part, `[A-Z2-9]{3}`. */
  location: string;
}

/** A text that is not a UN/LOCODE, and why. */
export interface UnlocodeInvalid {
  ok: false;
  reason: UnlocodeError;
}

/** Result of `parseUnlocode`. */
export type UnlocodeResult = Unlocode | UnlocodeInvalid;

/** One port of the embedded subset. */
export interface PortInfo {
  /** UN/LOCODE, 5 characters. */
  readonly code: string;
  /** Name as the code list writes it (with diacritics). */
  readonly name: string;
  /** Name without diacritics (the code list's "NameWoDiacritics"). */
  readonly nameAscii: string;
  /** ISO 3166-1 alpha-2 country code. */
  readonly country: string;
}

/** How a code relates to the embedded subset. */
export type LocodeLookup =
  | { readonly status: 'known'; readonly port: PortInfo }
  | { readonly status: 'valid_format_unknown'; readonly code: string }
  | { readonly status: 'invalid'; readonly reason: UnlocodeError };

/**
 * ISO 3166-1 alpha-2 officially assigned codes (249), plus `XZ` which UN/LOCODE uses for
 * installations in international waters.
 */
const COUNTRIES = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET ' +
    'FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ' +
    'ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY ' +
    'MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM ' +
    'PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ ' +
    'TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XZ'
  ).split(' '),
);

/** True for an ISO 3166-1 alpha-2 code UN/LOCODE can carry (upper case expected). */
export function isLocodeCountry(cc: string): boolean {
  return COUNTRIES.has(cc);
}

/** Rec. 16 location characters: A–Z and 2–9. */
function isLocationChar(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x32 && c <= 0x39);
}

const BAD_LENGTH: UnlocodeInvalid = Object.freeze({ ok: false, reason: 'length' }) as UnlocodeInvalid;
const BAD_FORMAT: UnlocodeInvalid = Object.freeze({ ok: false, reason: 'format' }) as UnlocodeInvalid;
const BAD_COUNTRY: UnlocodeInvalid = Object.freeze({ ok: false, reason: 'country' }) as UnlocodeInvalid;

/**
 * Parse and validate a UN/LOCODE (UNECE Rec. 16): `CRMOB`, `CR MOB` (one space between the parts, as
 * the code list prints it), case-insensitive, surrounding white space ignored. Reasons are tested in
 * the order length, format (country part 2 letters, location part `[A-Z2-9]{3}`), country (not an
 * assigned ISO 3166-1 alpha-2 code). Never throws.
 */
export function parseUnlocode(text: string): UnlocodeResult {
  let s = text.trim().toUpperCase();
  if (s.length === 6) {
    if (s.charCodeAt(2) !== 0x20) return BAD_FORMAT;
    s = s.slice(0, 2) + s.slice(3);
  } else if (s.length !== 5) return BAD_LENGTH;
  const c0 = s.charCodeAt(0);
  const c1 = s.charCodeAt(1);
  if (c0 < 0x41 || c0 > 0x5a || c1 < 0x41 || c1 > 0x5a) return BAD_FORMAT;
  for (let i = 2; i < 5; i++) if (!isLocationChar(s.charCodeAt(i))) return BAD_FORMAT;
  const country = s.slice(0, 2);
  if (!COUNTRIES.has(country)) return BAD_COUNTRY;
  return { ok: true, code: s, country, location: s.slice(2) };
}

/**
 * Container ports of the embedded subset, by code: the world's main container hubs plus the ports the
 * shared sample messages name. Source: UNECE UN/LOCODE code list, 2024 edition.
 */
export const MAJOR_PORTS: ReadonlyMap<string, PortInfo> = new Map(
  (
    [
      ['AEJEA', 'Jebel Ali', 'Jebel Ali'],
      ['AEKHL', 'Mina Khalifa/Abu Dhabi', 'Mina Khalifa/Abu Dhabi'],
      ['AUMEL', 'Melbourne', 'Melbourne'],
      ['AUSYD', 'Sydney', 'Sydney'],
      ['BEANR', 'Antwerpen', 'Antwerpen'],
      ['BRSSZ', 'Santos', 'Santos'],
      ['CAVAN', 'Vancouver', 'Vancouver'],
      ['CNNGB', 'Ningbo', 'Ningbo'],
      ['CNSHA', 'Shanghai', 'Shanghai'],
      ['CNSHK', 'Shekou Pt', 'Shekou Pt'],
      ['CNTXG', 'Tianjin Xingang Pt', 'Tianjin Xingang Pt'],
      ['CNYTN', 'Yantian', 'Yantian'],
      ['CRLIO', 'Puerto Limón', 'Puerto Limon'],
      ['CRMOB', 'Moín', 'Moin'],
      ['DEBRV', 'Bremerhaven', 'Bremerhaven'],
      ['DEHAM', 'Hamburg', 'Hamburg'],
      ['EGPSD', 'Port Said', 'Port Said'],
      ['ESALG', 'Algeciras', 'Algeciras'],
      ['ESBCN', 'Barcelona', 'Barcelona'],
      ['ESVLC', 'Valencia', 'Valencia'],
      ['FRLEH', 'Le Havre', 'Le Havre'],
      ['GBFXT', 'Felixstowe', 'Felixstowe'],
      ['GBLGP', 'London Gateway Port', 'London Gateway Port'],
      ['GBSOU', 'Southampton', 'Southampton'],
      ['GRPIR', 'Piraeus', 'Piraeus'],
      ['GTSTC', 'Puerto Santo Tomás de Castilla', 'Puerto Santo Tomas de Castilla'],
      ['HKHKG', 'Hong Kong', 'Hong Kong'],
      ['INMUN', 'Mundra', 'Mundra'],
      ['INNSA', 'Jawaharlal Nehru (Nhava Sheva)', 'Jawaharlal Nehru (Nhava Sheva)'],
      ['ITGOA', 'Genova', 'Genova'],
      ['JOAQB', "'Aqaba", "'Aqaba"],
      ['JPTYO', 'Tokyo', 'Tokyo'],
      ['JPUKB', 'Kobe', 'Kobe'],
      ['JPYOK', 'Yokohama', 'Yokohama'],
      ['KRPUS', 'Busan', 'Busan'],
      ['LKCMB', 'Colombo', 'Colombo'],
      ['MAPTM', 'Tanger Med', 'Tanger Med'],
      ['MTMAR', 'Marsaxlokk', 'Marsaxlokk'],
      ['MXZLO', 'Manzanillo', 'Manzanillo'],
      ['MYPKG', 'Port Klang (Pelabuhan Klang)', 'Port Klang (Pelabuhan Klang)'],
      ['MYTPP', 'Tanjung Pelepas', 'Tanjung Pelepas'],
      ['NIELB', 'El Bluff', 'El Bluff'],
      ['NLRTM', 'Rotterdam', 'Rotterdam'],
      ['OMSLL', 'Salalah', 'Salalah'],
      ['PABLB', 'Balboa', 'Balboa'],
      ['PAMIT', 'Manzanillo', 'Manzanillo'],
      ['PLGDN', 'Gdansk', 'Gdansk'],
      ['SAJED', 'Jeddah', 'Jeddah'],
      ['SGSIN', 'Singapore', 'Singapore'],
      ['THLCH', 'Laem Chabang', 'Laem Chabang'],
      ['TRAMR', 'Ambarli', 'Ambarli'],
      ['TWKHH', 'Kaohsiung', 'Kaohsiung'],
      ['USGLC', 'Gloucester City', 'Gloucester City'],
      ['USHOU', 'Houston', 'Houston'],
      ['USLAX', 'Los Angeles', 'Los Angeles'],
      ['USLGB', 'Long Beach', 'Long Beach'],
      ['USNYC', 'New York', 'New York'],
      ['USOAK', 'Oakland', 'Oakland'],
      ['USSAV', 'Savannah', 'Savannah'],
      ['USSEA', 'Seattle', 'Seattle'],
      ['VNSGN', 'Ho Chi Minh City', 'Ho Chi Minh City'],
      ['VNVUT', 'Vung Tau', 'Vung Tau'],
      ['ZADUR', 'Durban', 'Durban'],
    ] as const
  ).map(([code, name, nameAscii]): [string, PortInfo] => [code, Object.freeze({ code, name, nameAscii, country: code.slice(0, 2) })]),
);

/**
 * Look a code up: `known` (in `MAJOR_PORTS`, with its name and country), `valid_format_unknown`
 * (well formed per `parseUnlocode` but not in the subset — not an error) or `invalid` (with the
 * `parseUnlocode` reason). Never throws.
 */
export function lookupUnlocode(text: string): LocodeLookup {
  const p = parseUnlocode(text);
  if (!p.ok) return { status: 'invalid', reason: p.reason };
  const port = MAJOR_PORTS.get(p.code);
  return port === undefined ? { status: 'valid_format_unknown', code: p.code } : { status: 'known', port };
}
