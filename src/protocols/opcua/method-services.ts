import { readNodeId, skipDiagnosticInfo, type Cursor, type NodeId } from './grammar.js';
import { MAX_DEPTH, arrayLength, readVariantInfo, type VariantInfo } from './services.js';

/** DefaultBinary type ids of the Method service set (Schema/NodeIds.csv). */
export const CallServiceId = { CallRequest: 712, CallResponse: 715 } as const;

/**
 * One CallMethodRequest (OPC 10000-4 §5.11.2.2): the Object and Method NodeIds and the InputArguments'
 * Variant types. `inputCount` is the count on the wire; `inputs` keeps at most limits.maxVectorLength.
 */
export interface CallMethod {
  objectId: NodeId;
  methodId: NodeId;
  inputCount: number;
  inputs: VariantInfo[];
}

/** CallRequest (OPC 10000-4 §5.11.2): MethodsToCall, cut at `max` entries (`dropped` counts the rest). */
export interface CallRequest {
  kind: 'call_req';
  methods: CallMethod[];
  dropped: number;
}

/**
 * One CallMethodResult (OPC 10000-4 §5.11.2.2, Table 66): StatusCode, InputArgumentResults
 * (StatusCode[]), OutputArguments' Variant types; InputArgumentDiagnosticInfos are skipped. Counts are
 * the counts on the wire, the arrays keep at most limits.maxVectorLength entries.
 */
export interface CallMethodResult {
  status: number;
  inputResultCount: number;
  inputResults: number[];
  outputCount: number;
  outputs: VariantInfo[];
}

/** CallResponse (OPC 10000-4 §5.11.2): Results; DiagnosticInfos skipped. */
export interface CallResponse {
  kind: 'call_res';
  results: CallMethodResult[];
  dropped: number;
}

/** Variant[] types, at most `max` kept; `counter.dropped` counts the rest. @returns the wire count */
function variants(c: Cursor, max: number, out: VariantInfo[], counter: { dropped: number }): number {
  const n = arrayLength(c);
  for (let i = 0; i < n && !c.bad; i++) {
    const v = readVariantInfo(c, 1);
    if (out.length < max) out.push(v);
    else counter.dropped++;
  }
  return n;
}

/**
 * Decode a CallRequest or CallResponse body after its header (`typeId` 712 or 715), or null for another
 * type. A body that does not parse marks the cursor bad (the caller reports it). Vectors are cut at `max`.
 */
export function decodeCallBody(c: Cursor, typeId: number, max: number): CallRequest | CallResponse | null {
  if (typeId === CallServiceId.CallRequest) return callRequest(c, max);
  if (typeId === CallServiceId.CallResponse) return callResponse(c, max);
  return null;
}

function callRequest(c: Cursor, max: number): CallRequest {
  const counter = { dropped: 0 };
  const methods: CallMethod[] = [];
  const n = arrayLength(c);
  for (let i = 0; i < n && !c.bad; i++) {
    const objectId = readNodeId(c, false);
    const methodId = readNodeId(c, false);
    const inputs: VariantInfo[] = [];
    const inputCount = variants(c, max, inputs, counter);
    if (methods.length < max) methods.push({ objectId, methodId, inputCount, inputs });
    else counter.dropped++;
  }
  return { kind: 'call_req', methods, dropped: counter.dropped };
}

function callResponse(c: Cursor, max: number): CallResponse {
  const counter = { dropped: 0 };
  const results: CallMethodResult[] = [];
  const n = arrayLength(c);
  for (let i = 0; i < n && !c.bad; i++) {
    const status = c.u32();
    const inputResults: number[] = [];
    const inputResultCount = arrayLength(c);
    for (let j = 0; j < inputResultCount && !c.bad; j++) {
      const code = c.u32();
      if (inputResults.length < max) inputResults.push(code);
      else counter.dropped++;
    }
    const d = arrayLength(c);
    for (let j = 0; j < d && !c.bad; j++) skipDiagnosticInfo(c, MAX_DEPTH);
    const outputs: VariantInfo[] = [];
    const outputCount = variants(c, max, outputs, counter);
    if (results.length < max) results.push({ status, inputResultCount, inputResults, outputCount, outputs });
    else counter.dropped++;
  }
  const d = arrayLength(c);
  for (let i = 0; i < d && !c.bad; i++) skipDiagnosticInfo(c, MAX_DEPTH);
  return { kind: 'call_res', results, dropped: counter.dropped };
}
