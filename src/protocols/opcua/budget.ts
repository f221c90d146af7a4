import type { NodeId } from './grammar.js';
import type { UaMessage } from './message.js';

/**
 * Estimated bytes all OPC UA flows of a run may hold in messages waiting for their partner
 * (requests for their response, responses for their request): 32 MiB, about 30 000 ordinary
 * waiting messages. Together with limits.maxPendingRequests per flow and direction it bounds the
 * pairing state of a run whatever the number of flows (a flow of unanswered requests holds at most
 * maxPendingRequests of them, a run at most this many bytes).
 */
export const OPCUA_PENDING_BUDGET_BYTES = 32 << 20;

/**
 * Estimated bytes of a waiting message besides its strings: the `UaMessage` object, its
 * Request/ResponseHeader, security header and NodeId objects and the pending-table entry.
 */
export const PENDING_MESSAGE_BYTES = 1024;

/**
 * Run-wide account of the OPC UA pairing state (OPC 10000-6 §6.7.2.4 RequestId pairing). One
 * instance is shared by every OPC UA analyzer of a run (`createOpcuaSpec`); a flow's
 * `UaTransactions` adds a message's cost (`pendingCost`) when it starts waiting and subtracts the
 * same cost when it leaves (paired, flushed or discarded at the flow's end). `held` (bytes) never
 * goes negative and returns to 0 once every flow has ended.
 */
export class OpcuaPendingBudget {
  /** Estimated bytes held now by the waiting messages of all flows sharing this budget. */
  held = 0;

  /** @param max bound on `held`, bytes (OPCUA_PENDING_BUDGET_BYTES by default) */
  constructor(readonly max: number = OPCUA_PENDING_BUDGET_BYTES) {}
}

function chars(s: string | null): number {
  return s === null ? 0 : 2 * s.length;
}

function nodeChars(t: NodeId): number {
  return chars(t.str) + chars(t.guid) + chars(t.opaque) + chars(t.nsUri);
}

/**
 * Estimated bytes a waiting message holds: PENDING_MESSAGE_BYTES plus two bytes per character of
 * the wire strings it keeps for its `opcua_binary` row (its service body is dropped before it
 * waits; the service name is a shared table string). Deterministic: a message costs the same when
 * it starts waiting and when it leaves.
 */
export function pendingCost(m: UaMessage): number {
  let n = PENDING_MESSAGE_BYTES + chars(m.endpointUrl) + chars(m.reason);
  const a = m.asym;
  if (a !== null) n += chars(a.policyUri) + chars(a.sndCert) + chars(a.rcvThumb);
  const q = m.reqHdr;
  if (q !== null) n += chars(q.auditEntryId) + nodeChars(q.authToken) + nodeChars(q.addHdr.node);
  const r = m.resHdr;
  if (r !== null) n += nodeChars(r.addHdr.node);
  return n;
}
