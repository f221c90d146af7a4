/**
 * The shape every protocol's conformance module reports, so one script (scripts/conformance-report.ts)
 * can write docs/CONFORMANCE.md for all protocols and every test can assert on the same figures.
 *
 * A module compares CraneWatch's records with one peer's (tshark's fields, or Zeek / ICSNPP expected
 * logs) capture by capture; `agreed` counts peer records whose compared fields all equal CraneWatch's.
 */

/** One field compared across records: how many record pairs carried it and how many agreed. */
export interface FieldAgreement {
  /** CraneWatch log field name (Zeek / ICSNPP spelling), e.g. `fc_request`. */
  readonly field: string;
  readonly compared: number;
  readonly agreed: number;
}

/** One capture compared with one peer. */
export interface CaptureAgreement {
  /** Path relative to the shared data folder, e.g. `icsnpp/dnp3/traces/dnp3_example.pcap`. */
  readonly capture: string;
  /** Log stream compared, e.g. `dnp3` or `cip_identity`. */
  readonly stream: string;
  /** Records the peer shows for this stream (the denominator). */
  readonly peerRecords: number;
  /** Peer records CraneWatch has a record for (matched by the module's key). */
  readonly matched: number;
  /** Matched records whose every compared field agrees. */
  readonly agreed: number;
  readonly fields: readonly FieldAgreement[];
  /**
   * Every disagreement, one line each (`key: field cw=… peer=…`), and for each one accepted as the
   * peer's error the test that documents it with the bytes (`accepted: … see test/…`).
   */
  readonly differences: readonly string[];
}

/** All of one protocol's comparisons against one peer. */
export interface ProtocolAgreement {
  /** Analyzer name as in conn.log `service`, e.g. `s7comm`. */
  readonly protocol: string;
  /** `tshark` (with its version when known) or `zeek` / `icsnpp` (expected logs in the shared data). */
  readonly peer: string;
  readonly captures: readonly CaptureAgreement[];
}

/** Agreement rate of a protocol (agreed / peerRecords over all captures), 1 when there is nothing to compare. */
export function agreementRate(p: ProtocolAgreement): number {
  let agreed = 0;
  let total = 0;
  for (const c of p.captures) {
    agreed += c.agreed;
    total += c.peerRecords;
  }
  return total === 0 ? 1 : agreed / total;
}
