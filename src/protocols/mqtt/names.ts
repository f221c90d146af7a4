/**
 * Text Zeek's MQTT analyzer logs for protocol codes (Zeek scripts/base/protocols/mqtt/consts.zeek:
 * `versions`, `qos_levels`, `return_codes`, each with its `&default` text for codes it does not know).
 */

const VERSIONS: readonly string[] = ['', '', '', '3.1', '3.1.1', '5.0'];
const QOS_LEVELS: readonly string[] = ['at most once', 'at least once', 'exactly once'];
/** CONNACK return codes of MQTT 3.1 / 3.1.1 (3.1.1 §3.2.2.3 table 3.1). */
const RETURN_CODES: readonly string[] = [
  'Connection Accepted',
  'Refused: unacceptable protocol version',
  'Refused: identifier rejected',
  'Refused: server unavailable',
  'Refused: bad user name or password',
  'Refused: not authorized',
];

/** `proto_version` text of a CONNECT Protocol Level: 3 → "3.1", 4 → "3.1.1", 5 → "5.0", else "unknown-version-N". */
export function versionName(level: number): string {
  return level >= 3 && level <= 5 ? VERSIONS[level] : `unknown-version-${level}`;
}

/** `qos` text of a PUBLISH QoS (3.1.1 §4.3): 0–2 named, 3 → "unknown-qos-level-3". */
export function qosName(qos: number): string {
  return qos <= 2 ? QOS_LEVELS[qos] : `unknown-qos-level-${qos}`;
}

/**
 * `connect_status` text of a CONNACK code: the 3.1.1 return codes 0–5 by name; any other code (MQTT 5.0
 * reason codes ≥ 0x80, 5.0 §3.2.2.2) as Zeek writes it, "unknown-return-code-N" with N in decimal.
 */
export function returnCodeName(code: number): string {
  return code <= 5 ? RETURN_CODES[code] : `unknown-return-code-${code}`;
}
