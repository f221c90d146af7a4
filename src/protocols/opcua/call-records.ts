import type { LogValue } from '../../events/record.js';
import type { FlowContext } from '../../session/analyzer.js';
import { ExtraStatusSource, encodingHex, namespaceOf, numericOf, statusCodeRecord, type LinkIds } from './child-records.js';
import { OPCUA_CALL_METHOD_STREAM, OPCUA_CALL_RESULT_STREAM, OPCUA_CALL_STREAM, OPCUA_STATUS_CODE_STREAM } from './log.js';
import type { UaMessage } from './message.js';
import type { CallRequest, CallResponse } from './method-services.js';
import type { UaFlowIds } from './transactions.js';
import { VariantSource, emitVariantMetadata } from './variant-records.js';
import { uaRow } from './side-columns.js';

/**
 * Write the records of a decoded Call request or response (OPC 10000-4 §5.11.2): one
 * opcua_binary_call row linked to its opcua_binary message, one opcua_binary_call_method row per
 * CallMethodRequest (object and method NodeIds, input argument count and the arguments' Variant types
 * in opcua_binary_variant_metadata), one opcua_binary_call_result row per CallMethodResult (StatusCode
 * and InputArgumentResults in opcua_binary_status_code_detail, output argument count and types).
 * Does nothing for other messages.
 */
export function emitCallRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, links: LinkIds): void {
  const b = m.body;
  if (b === null) return;
  if (b.kind === 'call_req') callRequestRecords(ctx, flow, m, b, links);
  else if (b.kind === 'call_res') callResponseRecords(ctx, flow, m, b, links);
}

function callRow(flow: UaFlowIds, m: UaMessage, methodLink: string | null, resultLink: string | null): Record<string, LogValue> {
  return uaRow(OPCUA_CALL_STREAM)(flow, m, {
    opcua_link_id: m.linkId,
    call_method_link_id: methodLink,
    call_result_link_id: resultLink,
  });
}

function callRequestRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: CallRequest, links: LinkIds): void {
  const link = b.methods.length > 0 ? links.nextLink() : null;
  for (const x of b.methods) {
    const argLink = x.inputs.length > 0 ? links.nextLink() : null;
    if (argLink !== null) emitVariantMetadata(ctx, flow, m, argLink, VariantSource.CallInput, x.inputs);
    ctx.emit(OPCUA_CALL_METHOD_STREAM.name, uaRow(OPCUA_CALL_METHOD_STREAM)(flow, m, {
      call_method_link_id: link,
      object_id_encoding_mask: encodingHex(x.objectId),
      object_id_namespace_idx: namespaceOf(x.objectId),
      object_id_numeric: numericOf(x.objectId),
      object_id_string: x.objectId.str,
      object_id_guid: x.objectId.guid,
      object_id_opaque: x.objectId.opaque,
      method_id_encoding_mask: encodingHex(x.methodId),
      method_id_namespace_idx: namespaceOf(x.methodId),
      method_id_numeric: numericOf(x.methodId),
      method_id_string: x.methodId.str,
      method_id_guid: x.methodId.guid,
      method_id_opaque: x.methodId.opaque,
      input_argument_count: x.inputCount,
      input_arguments_variant_metadata_link_id: argLink,
    }));
  }
  ctx.emit(OPCUA_CALL_STREAM.name, callRow(flow, m, link, null));
}

function callResponseRecords(ctx: FlowContext, flow: UaFlowIds, m: UaMessage, b: CallResponse, links: LinkIds): void {
  const link = b.results.length > 0 ? links.nextLink() : null;
  for (const r of b.results) {
    const statusLink = links.nextLink();
    ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, statusLink, r.status, ExtraStatusSource.Call, 'Call', 0));
    const inputLink = r.inputResults.length > 0 ? links.nextLink() : null;
    if (inputLink !== null) for (const code of r.inputResults) ctx.emit(OPCUA_STATUS_CODE_STREAM.name, statusCodeRecord(flow, m, inputLink, code, ExtraStatusSource.CallInputArgument, 'Call_InputArgument', 0));
    const outLink = r.outputs.length > 0 ? links.nextLink() : null;
    if (outLink !== null) emitVariantMetadata(ctx, flow, m, outLink, VariantSource.CallOutput, r.outputs);
    ctx.emit(OPCUA_CALL_RESULT_STREAM.name, uaRow(OPCUA_CALL_RESULT_STREAM)(flow, m, {
      call_result_link_id: link,
      status_code_link_id: statusLink,
      input_argument_result_count: r.inputResultCount,
      input_argument_results_status_code_link_id: inputLink,
      output_argument_count: r.outputCount,
      output_arguments_variant_metadata_link_id: outLink,
    }));
  }
  ctx.emit(OPCUA_CALL_STREAM.name, callRow(flow, m, null, link));
}
