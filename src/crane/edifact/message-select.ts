import { EdiAnomalyLog, type EdiAnomaly } from './anomaly.js';
import { parseEdifact, type EdiMessage } from './envelope.js';
import type { EdiLimits } from './limits.js';

/**
 * True for a message of UN/EDIFACT message type `type` (UNH S009 0065, e.g. BAPLIE, COARRI); a
 * segment run without a UNH (a fragment seen on the wire) counts when it has a `tag`+`qualifier`
 * segment typical of that message (e.g. LOC+147 for BAPLIE, DTM+203 for COARRI).
 */
export function isMessageOfType(msg: EdiMessage, type: string, tag: string, qualifier: string): boolean {
  if (msg.header.type !== null) return msg.header.type === type;
  return msg.segments.some((s) => s.tag === tag && s.comp(0, 0).trim() === qualifier);
}

/**
 * Parse an interchange (ISO 9735 syntax, envelope.ts) and read every message `accept`s with `read`;
 * other messages raise `edifact.other_message` and are skipped. Never throws.
 * @returns the items read, in message order, and the anomaly log shared by parsing and reading
 */
export function readMessages<T>(
  input: Uint8Array | string,
  limits: Readonly<EdiLimits>,
  accept: (msg: EdiMessage) => boolean,
  read: (msg: EdiMessage, log: EdiAnomalyLog) => T,
): { items: T[]; anomalies: EdiAnomaly[]; anomalyTotal: number } {
  const log = new EdiAnomalyLog(limits.maxAnomalies);
  const doc = parseEdifact(input, limits, log);
  const items: T[] = [];
  for (const msg of doc.messages) {
    if (accept(msg)) items.push(read(msg, log));
    else log.add('edifact.other_message', 'weird', msg.unhIndex, -1, msg.header.type ?? '(no UNH)');
  }
  return { items, anomalies: log.list, anomalyTotal: log.total };
}
