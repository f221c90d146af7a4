/**
 * UN/EDIFACT service segments (ISO 9735-1 service segment specifications): the interchange envelope UNB…UNZ, the
 * optional functional group UNG…UNE and the message envelope UNH…UNT, with the control counts
 * UNT 0074 (segments in the message, UNH and UNT included) and UNZ 0036 (messages, or groups when
 * there are any). Splits tokenized segments into messages; every envelope fault is an anomaly and the
 * data is still delivered: segments outside any UNH…UNT become one message of unknown type.
 */
import { EdiAnomalyLog } from './anomaly.js';
import { DEFAULT_EDI_LIMITS, type EdiLimits } from './limits.js';
import { tokenize, type Delimiters, type EdiSegment } from './tokenizer.js';
import { compOrNull, ediDateTime } from './values.js';

/** Interchange header UNB (ISO 9735-1). */
export interface InterchangeHeader {
  /** S001 0001 syntax identifier, e.g. `UNOA`. */
  readonly syntaxId: string;
  /** S001 0002 syntax version number, e.g. `2`. */
  readonly syntaxVersion: string;
  /** S002 0004 interchange sender identification. */
  readonly sender: string;
  /** S002 0007 partner identification code qualifier, or null. */
  readonly senderQualifier: string | null;
  /** S003 0010 interchange recipient identification. */
  readonly recipient: string;
  /** S003 0007 partner identification code qualifier, or null. */
  readonly recipientQualifier: string | null;
  /** S004 date (0017, YYMMDD or CCYYMMDD in version 4) and time (0019, HHMM) as ISO 8601 local `YYYY-MM-DDTHH:MM`, or null when absent or malformed. */
  readonly date: string | null;
  /** 0020 interchange control reference. */
  readonly controlRef: string;
  /** Index of the UNB segment in the input. */
  readonly segmentIndex: number;
}

/** Message header UNH (ISO 9735-1, S009 message identifier). */
export interface MessageHeader {
  /** 0062 message reference number; null for segments read without a UNH. */
  readonly reference: string | null;
  /** S009 0065 message type, e.g. `BAPLIE`; null without a UNH. */
  readonly type: string | null;
  /** S009 0052 version, e.g. `D`. */
  readonly version: string | null;
  /** S009 0054 release, e.g. `95B`. */
  readonly release: string | null;
  /** S009 0051 controlling agency, e.g. `UN`. */
  readonly agency: string | null;
  /**
   * S009 0057 association assigned code naming the user manual (`SMDG22`, `ITG10`); when absent, the
   * UNH 0068 common access reference, where some senders put it (`UNH+…+COARRI:D:23A:UN+ITG10`).
   */
  readonly association: string | null;
}

/** One message: its header, the interchange around it and its body segments. */
export interface EdiMessage {
  readonly header: MessageHeader;
  /** The enclosing interchange, or null when there is no UNB before it. */
  readonly interchange: InterchangeHeader | null;
  /** Segments between UNH and UNT (both excluded). */
  readonly segments: readonly EdiSegment[];
  /** Index of the UNH segment in the input, -1 for segments read without a UNH. */
  readonly unhIndex: number;
}

/** A tokenized and enveloped input. */
export interface EdiDocument {
  readonly interchanges: readonly InterchangeHeader[];
  readonly messages: readonly EdiMessage[];
  readonly delimiters: Readonly<Delimiters>;
  /** True when the input carried a UNA. */
  readonly una: boolean;
  /** True when reading stopped at `maxSegments`. */
  readonly stopped: boolean;
  /** Segments read (dropped ones included). */
  readonly segmentsRead: number;
}

function readUnb(seg: EdiSegment): InterchangeHeader {
  const d = seg.comp(3, 0);
  const t = seg.comp(3, 1);
  return {
    syntaxId: seg.comp(0, 0),
    syntaxVersion: seg.comp(0, 1),
    sender: seg.comp(1, 0),
    senderQualifier: compOrNull(seg, 1, 1),
    recipient: seg.comp(2, 0),
    recipientQualifier: compOrNull(seg, 2, 1),
    date: d === '' ? null : ediDateTime(d + t, null),
    controlRef: seg.comp(4, 0),
    segmentIndex: seg.index,
  };
}

function readUnh(seg: EdiSegment): MessageHeader {
  return {
    reference: seg.comp(0, 0),
    type: compOrNull(seg, 1, 0),
    version: compOrNull(seg, 1, 1),
    release: compOrNull(seg, 1, 2),
    agency: compOrNull(seg, 1, 3),
    association: compOrNull(seg, 1, 4) ?? compOrNull(seg, 2, 0),
  };
}

const IMPLICIT_HEADER: MessageHeader = Object.freeze({
  reference: null,
  type: null,
  version: null,
  release: null,
  agency: null,
  association: null,
});

interface OpenMessage {
  header: MessageHeader;
  interchange: InterchangeHeader | null;
  segments: EdiSegment[];
  unh: EdiSegment | null;
}

interface OpenInterchange {
  header: InterchangeHeader;
  messages: number;
  groups: number;
}

/**
 * Split tokenized segments into messages and check the envelope counts. Anomalies (`edifact.missing_*`,
 * `edifact.unt_*`, `edifact.unz_*`) go to `log`. Never throws.
 */
export function readEnvelope(
  segments: readonly EdiSegment[],
  log: EdiAnomalyLog,
): { interchanges: InterchangeHeader[]; messages: EdiMessage[] } {
  const interchanges: InterchangeHeader[] = [];
  const messages: EdiMessage[] = [];
  let ich: OpenInterchange | null = null;
  let msg: OpenMessage | null = null;

  const close = (m: OpenMessage): void => {
    messages.push({ header: m.header, interchange: m.interchange, segments: m.segments, unhIndex: m.unh === null ? -1 : m.unh.index });
  };

  for (const seg of segments) {
    switch (seg.tag) {
      case 'UNB': {
        if (msg !== null) {
          log.add('edifact.missing_unt', 'weird', seg.index, seg.offset);
          close(msg);
          msg = null;
        }
        if (ich !== null) log.add('edifact.missing_unz', 'weird', seg.index, seg.offset);
        const header = readUnb(seg);
        interchanges.push(header);
        ich = { header, messages: 0, groups: 0 };
        break;
      }
      case 'UNG':
        if (ich !== null) ich.groups++;
        break;
      case 'UNE':
        break;
      case 'UNH': {
        if (msg !== null) {
          log.add('edifact.missing_unt', 'weird', seg.index, seg.offset);
          close(msg);
        }
        if (ich === null) log.add('edifact.missing_unb', 'weird', seg.index, seg.offset);
        else ich.messages++;
        msg = { header: readUnh(seg), interchange: ich === null ? null : ich.header, segments: [], unh: seg };
        break;
      }
      case 'UNT': {
        if (msg === null || msg.unh === null) {
          if (msg === null) log.add('edifact.missing_unh', 'violation', seg.index, seg.offset, 'UNT without UNH');
          else close(msg);
          msg = null;
          break;
        }
        const declared = seg.comp(0, 0).trim();
        const counted = seg.index - msg.unh.index + 1;
        if (declared === '' || Number(declared) !== counted) {
          log.add('edifact.unt_count_mismatch', 'weird', seg.index, seg.offset, `UNT ${declared || '(none)'}, counted ${counted}`);
        }
        const ref = seg.comp(1, 0);
        if (ref !== msg.header.reference) log.add('edifact.unt_reference_mismatch', 'weird', seg.index, seg.offset, `${ref} vs ${msg.header.reference}`);
        close(msg);
        msg = null;
        break;
      }
      case 'UNZ': {
        if (msg !== null) {
          log.add('edifact.missing_unt', 'weird', seg.index, seg.offset);
          close(msg);
          msg = null;
        }
        if (ich === null) {
          log.add('edifact.missing_unb', 'weird', seg.index, seg.offset, 'UNZ without UNB');
          break;
        }
        const declared = seg.comp(0, 0).trim();
        const counted = ich.groups > 0 ? ich.groups : ich.messages;
        if (declared === '' || Number(declared) !== counted) {
          log.add('edifact.unz_count_mismatch', 'weird', seg.index, seg.offset, `UNZ ${declared || '(none)'}, counted ${counted}`);
        }
        const ref = seg.comp(1, 0);
        if (ref !== ich.header.controlRef) log.add('edifact.unz_reference_mismatch', 'weird', seg.index, seg.offset, `${ref} vs ${ich.header.controlRef}`);
        ich = null;
        break;
      }
      default:
        if (msg === null) {
          log.add('edifact.missing_unh', 'violation', seg.index, seg.offset, seg.tag);
          msg = { header: IMPLICIT_HEADER, interchange: ich === null ? null : ich.header, segments: [], unh: null };
        }
        msg.segments.push(seg);
    }
  }
  if (msg !== null) {
    if (msg.unh !== null) log.add('edifact.missing_unt', 'weird', -1, -1);
    close(msg);
  }
  if (ich !== null) log.add('edifact.missing_unz', 'weird', -1, -1);
  return { interchanges, messages };
}

/**
 * Tokenize and envelope `input` (ISO 9735-1). Never throws; anomalies go to `log`.
 * @param input an interchange or a fragment of one, bytes or latin1 text
 */
export function parseEdifact(
  input: Uint8Array | string,
  limits: Readonly<EdiLimits> = DEFAULT_EDI_LIMITS,
  log: EdiAnomalyLog = new EdiAnomalyLog(limits.maxAnomalies),
): EdiDocument {
  const tok = tokenize(input, limits, log);
  const env = readEnvelope(tok.segments, log);
  return {
    interchanges: env.interchanges,
    messages: env.messages,
    delimiters: tok.delimiters,
    una: tok.una,
    stopped: tok.stopped,
    segmentsRead: tok.segmentsRead,
  };
}
