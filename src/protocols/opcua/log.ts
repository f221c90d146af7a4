import { defineStream, type StreamSchema } from '../../events/schema.js';

/**
 * `opcua_binary`: one record per UA message, a request and its response joined by RequestId (ICSNPP
 * opcua-binary `OPCUA_Binary::Info_Log`, scripts/types.zeek, in its field order). HEL, ACK, ERR and CLO
 * are logged alone; unanswered requests and unmatched responses at the end of the flow.
 */
export const OPCUA_BINARY_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary',
  doc: 'OPC UA binary messages, requests joined with their responses (ICSNPP opcua_binary.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the request chunk (or of the lone chunk), seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'msg_type', type: 'string', doc: 'MessageType of the chunk header: HEL ACK ERR RHE OPN MSG CLO (OPC 10000-6 §7.1.2.2; opcua.transport.type).' },
    { name: 'is_final', type: 'string', doc: 'Chunk type: F final, C intermediate, A abort (opcua.transport.chunk).' },
    { name: 'total_size', type: 'count', doc: 'MessageSize in bytes; request plus response when paired (ICSNPP total_size).' },
    { name: 'error', type: 'count', doc: 'ERR Error StatusCode (§7.1.2.5).' },
    { name: 'reason', type: 'string', doc: 'ERR Reason text.' },
    { name: 'version', type: 'count', doc: 'HEL/ACK ProtocolVersion (§7.1.2.3).' },
    { name: 'rcv_buf_size', type: 'count', doc: 'HEL/ACK ReceiveBufferSize, bytes.' },
    { name: 'snd_buf_size', type: 'count', doc: 'HEL/ACK SendBufferSize, bytes.' },
    { name: 'max_msg_size', type: 'count', doc: 'HEL/ACK MaxMessageSize, bytes (0 no limit).' },
    { name: 'max_chunk_cnt', type: 'count', doc: 'HEL/ACK MaxChunkCount (0 no limit).' },
    { name: 'endpoint_url', type: 'string', doc: 'HEL EndpointUrl.' },
    { name: 'sec_channel_id', type: 'vector[count]', doc: 'SecureChannelId of the request, then of the response when it differs (§6.7.2.2).' },
    { name: 'sec_policy_uri_len', type: 'int', doc: 'OPN SecurityPolicyUri length in bytes (-1 null; §6.7.2.3).' },
    { name: 'sec_policy_uri', type: 'string', doc: 'OPN SecurityPolicyUri.' },
    { name: 'snd_cert_len', type: 'int', doc: 'OPN SenderCertificate length (-1 null).' },
    { name: 'snd_cert', type: 'string', doc: 'OPN SenderCertificate, 0x-hex of its first 24 bytes.' },
    { name: 'rcv_cert_len', type: 'int', doc: 'OPN ReceiverCertificateThumbprint length (-1 null).' },
    { name: 'rcv_cert', type: 'string', doc: 'OPN ReceiverCertificateThumbprint, 0x-hex of its first 24 bytes.' },
    { name: 'request_id', type: 'count', doc: 'RequestId of the sequence header (§6.7.2.4), the pairing key.' },
    { name: 'req_opcua_link_id', type: 'string', doc: 'Link id of the request chunk (child logs carry it as opcua_link_id).' },
    { name: 'req_msg_size', type: 'count', doc: 'MessageSize of the request chunk, bytes.' },
    { name: 'req_seq_number', type: 'count', doc: 'SequenceNumber of the request chunk.' },
    { name: 'req_encoding_mask', type: 'count', doc: 'Encoding byte of the request body type NodeId (§5.2.2.9).' },
    { name: 'req_namespace_idx', type: 'count', doc: 'Namespace of the request body type NodeId.' },
    { name: 'req_identifier', type: 'count', doc: 'Numeric id of the request body type (DefaultBinary encoding NodeId).' },
    { name: 'req_identifier_str', type: 'string', doc: 'Name of the request type (e.g. ReadRequest).' },
    { name: 'req_hdr_node_id_type', type: 'string', doc: 'RequestHeader AuthenticationToken NodeId encoding byte, 0x-hex (OPC 10000-4 §7.32).' },
    { name: 'req_hdr_node_id_namespace_idx', type: 'count', doc: 'AuthenticationToken namespace (unset for TwoByte).' },
    { name: 'req_hdr_node_id_numeric', type: 'count', doc: 'AuthenticationToken numeric identifier.' },
    { name: 'req_hdr_node_id_string', type: 'string', doc: 'AuthenticationToken string identifier.' },
    { name: 'req_hdr_node_id_guid', type: 'string', doc: 'AuthenticationToken GUID identifier.' },
    { name: 'req_hdr_node_id_opaque', type: 'string', doc: 'AuthenticationToken opaque identifier, 0x-hex.' },
    { name: 'req_hdr_timestamp', type: 'time', doc: 'RequestHeader Timestamp, seconds since the epoch (unset when 0).' },
    { name: 'req_hdr_request_handle', type: 'count', doc: 'RequestHeader RequestHandle.' },
    { name: 'req_hdr_return_diag', type: 'count', doc: 'RequestHeader ReturnDiagnostics bits.' },
    { name: 'req_hdr_audit_entry_id', type: 'string', doc: 'RequestHeader AuditEntryId.' },
    { name: 'req_hdr_timeout_hint', type: 'count', doc: 'RequestHeader TimeoutHint, milliseconds.' },
    { name: 'req_hdr_add_hdr_type_id', type: 'count', doc: 'RequestHeader AdditionalHeader ExtensionObject type id.' },
    { name: 'req_hdr_add_hdr_enc_mask', type: 'count', doc: 'RequestHeader AdditionalHeader ExtensionObject encoding byte.' },
    { name: 'res_opcua_link_id', type: 'string', doc: 'Link id of the response chunk.' },
    { name: 'res_msg_size', type: 'count', doc: 'MessageSize of the response chunk, bytes.' },
    { name: 'res_seq_number', type: 'count', doc: 'SequenceNumber of the response chunk.' },
    { name: 'res_encoding_mask', type: 'count', doc: 'Encoding byte of the response body type NodeId.' },
    { name: 'res_namespace_idx', type: 'count', doc: 'Namespace of the response body type NodeId.' },
    { name: 'res_identifier', type: 'count', doc: 'Numeric id of the response body type.' },
    { name: 'res_identifier_str', type: 'string', doc: 'Name of the response type (e.g. ReadResponse, ServiceFault).' },
    { name: 'res_hdr_timestamp', type: 'time', doc: 'ResponseHeader Timestamp, seconds since the epoch (OPC 10000-4 §7.33).' },
    { name: 'res_hdr_request_handle', type: 'count', doc: 'ResponseHeader RequestHandle.' },
    { name: 'status_code_link_id', type: 'string', doc: 'Link into opcua_binary_status_code_detail (the ServiceResult).' },
    { name: 'res_hdr_service_diag_encoding', type: 'count', doc: 'ResponseHeader ServiceDiagnostics encoding mask.' },
    { name: 'res_hdr_add_hdr_type_id', type: 'count', doc: 'ResponseHeader AdditionalHeader ExtensionObject type id.' },
    { name: 'res_hdr_add_hdr_enc_mask', type: 'count', doc: 'ResponseHeader AdditionalHeader ExtensionObject encoding byte.' },
  ],
});

/**
 * `opcua_binary_opensecure_channel`: the parameters of each OpenSecureChannel request and response
 * (ICSNPP `OPCUA_Binary::OpenSecureChannel`, scripts/secure-channel-types.zeek), linked by opcua_link_id.
 */
export const OPCUA_OPENSECURE_CHANNEL_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_opensecure_channel',
  doc: 'OPC UA OpenSecureChannel request and response parameters (ICSNPP opcua_binary_opensecure_channel.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the request chunk (or of the lone chunk), seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the OPN chunk in opcua_binary (req_opcua_link_id or res_opcua_link_id).' },
    { name: 'client_proto_ver', type: 'count', doc: 'Request ClientProtocolVersion (OPC 10000-4 §5.5.2.2).' },
    { name: 'sec_token_request_type', type: 'count', doc: 'Request RequestType: 0 Issue, 1 Renew.' },
    { name: 'message_security_mode', type: 'count', doc: 'Request SecurityMode: 1 None, 2 Sign, 3 SignAndEncrypt.' },
    { name: 'client_nonce', type: 'string', doc: 'Request ClientNonce, raw bytes as Zeek renders a raw string (zeek-escape.ts: control bytes and invalid UTF-8 as \\xNN).' },
    { name: 'req_lifetime', type: 'count', doc: 'Request RequestedLifetime, milliseconds.' },
    { name: 'server_proto_ver', type: 'count', doc: 'Response ServerProtocolVersion.' },
    { name: 'sec_token_sec_channel_id', type: 'count', doc: 'Response SecurityToken ChannelId (OPC 10000-4 §7.11).' },
    { name: 'sec_token_id', type: 'count', doc: 'Response SecurityToken TokenId.' },
    { name: 'sec_token_created_at', type: 'time', doc: 'Response SecurityToken CreatedAt, seconds since the epoch.' },
    { name: 'sec_token_revised_time', type: 'count', doc: 'Response SecurityToken RevisedLifetime, milliseconds.' },
    { name: 'server_nonce', type: 'string', doc: 'Response ServerNonce, raw bytes as Zeek renders a raw string (zeek-escape.ts: control bytes and invalid UTF-8 as \\xNN).' },
  ],
});

/**
 * `opcua_binary_status_code_detail`: each StatusCode decoded into its bit fields (ICSNPP
 * `OPCUA_Binary::StatusCodeDetail`, scripts/statuscode-diagnostic-types.zeek); this analyzer writes the
 * ResponseHeader ServiceResult of every decoded response.
 */
export const OPCUA_STATUS_CODE_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_status_code_detail',
  doc: 'OPC UA StatusCodes with their bit fields (ICSNPP opcua_binary_status_code_detail.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the request chunk (or of the lone chunk), seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'status_code_link_id', type: 'string', doc: 'Link id of the record holding this StatusCode (opcua_binary status_code_link_id).' },
    { name: 'source', type: 'count', doc: 'Where the code was found: ICSNPP source numbering (0 ResponseHeader, 2 Browse, 4 ActivateSession, 6 Read, 8 CreateMonitoredItems, 18 Write), then 20-28 for the services ICSNPP does not decode (20 Call, 21 Call_InputArgument, 22 SetPublishingMode, 23 Publish, 24 StatusChangeNotification, 25 DeleteSubscriptions, 26 ModifyMonitoredItems, 27 SetMonitoringMode, 28 DeleteMonitoredItems).' },
    { name: 'source_str', type: 'string', doc: 'Name of the source.' },
    { name: 'source_level', type: 'count', doc: 'Nesting level (0 top).' },
    { name: 'status_code', type: 'string', doc: 'The StatusCode, 0x-hex of 8 digits (OPC 10000-4 §7.39).' },
    { name: 'severity', type: 'count', doc: 'Bits 30-31: 0 Good, 1 Uncertain, 2 Bad.' },
    { name: 'severity_str', type: 'string', doc: 'Severity_Good / Severity_Uncertain / Severity_Bad.' },
    { name: 'sub_code', type: 'count', doc: 'SubCode, bits 16-27.' },
    { name: 'sub_code_str', type: 'string', doc: 'Name of the code (StatusCode.csv).' },
    { name: 'structure_changed', type: 'bool', doc: 'StructureChanged bit 15.' },
    { name: 'semantics_changed', type: 'bool', doc: 'SemanticsChanged bit 14.' },
    { name: 'info_type', type: 'count', doc: 'InfoType bits 10-11: 0 NotUsed, 1 DataValue.' },
    { name: 'info_type_str', type: 'string', doc: 'InfoType_NotUsed / InfoType_DataValue / InfoType_Reserved.' },
    { name: 'limit_bits', type: 'count', doc: 'DataValue LimitBits 8-9 (set only for InfoType DataValue).' },
    { name: 'limit_bits_str', type: 'string', doc: 'Limit_None / Limit_Low / Limit_High / Limit_Constant.' },
    { name: 'overflow', type: 'bool', doc: 'DataValue Overflow bit 7.' },
    { name: 'historian_bits', type: 'count', doc: 'DataValue historian bits 0-1.' },
    { name: 'historian_bits_str', type: 'string', doc: 'Historian_Raw / Historian_Calculated / Historian_Interpolated / Historian_Reserved.' },
    { name: 'historianPartial', type: 'bool', doc: 'Historian Partial bit 2.' },
    { name: 'historianExtraData', type: 'bool', doc: 'Historian ExtraData bit 3.' },
    { name: 'historianMultiValue', type: 'bool', doc: 'Historian MultiValue bit 4.' },
  ],
});

/** `opcua_binary_close_session`: the parameter of each CloseSession request (OPC 10000-4 §5.6.4; ICSNPP `OPCUA_Binary::CloseSession`). */
export const OPCUA_CLOSE_SESSION_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_close_session',
  doc: 'CloseSession requests (ICSNPP opcua_binary_close_session.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'del_subscriptions', type: 'bool', doc: 'DeleteSubscriptions.' },
  ],
});

/** `opcua_binary_create_subscription`: CreateSubscription request and response parameters (OPC 10000-4 §5.13.2; ICSNPP `OPCUA_Binary::CreateSubscription`). Durations are milliseconds, cut to whole numbers as ICSNPP logs them. */
export const OPCUA_CREATE_SUBSCRIPTION_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_create_subscription',
  doc: 'CreateSubscription parameters (ICSNPP opcua_binary_create_subscription.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'requested_publishing_interval', type: 'count', doc: 'Request RequestedPublishingInterval, milliseconds (whole part).' },
    { name: 'requested_lifetime_count', type: 'count', doc: 'Request RequestedLifetimeCount.' },
    { name: 'requested_max_keep_alive_count', type: 'count', doc: 'Request RequestedMaxKeepAliveCount.' },
    { name: 'max_notifications_per_publish', type: 'count', doc: 'Request MaxNotificationsPerPublish.' },
    { name: 'publishing_enabled', type: 'bool', doc: 'Request PublishingEnabled.' },
    { name: 'priority', type: 'count', doc: 'Request Priority.' },
    { name: 'subscription_id', type: 'count', doc: 'Response SubscriptionId.' },
    { name: 'revised_publishing_interval', type: 'count', doc: 'Response RevisedPublishingInterval, milliseconds (whole part).' },
    { name: 'revised_lifetime_count', type: 'count', doc: 'Response RevisedLifetimeCount.' },
    { name: 'revised_max_keep_alive_count', type: 'count', doc: 'Response RevisedMaxKeepAliveCount.' },
  ],
});

/** `opcua_binary_read`: one row per Read request and per Read response (OPC 10000-4 §5.11.2; ICSNPP `OPCUA_Binary::Read`), linked to their NodesToRead and Results rows. */
export const OPCUA_READ_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_read',
  doc: 'Read requests and responses (ICSNPP opcua_binary_read.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'max_age', type: 'count', doc: 'Request MaxAge, milliseconds (whole part).' },
    { name: 'timestamps_to_return', type: 'count', doc: 'Request TimestampsToReturn: 0 Source, 1 Server, 2 Both, 3 Neither, 4 Invalid.' },
    { name: 'timestamps_to_return_str', type: 'string', doc: 'Name of TimestampsToReturn.' },
    { name: 'nodes_to_read_link_id', type: 'string', doc: 'Link into opcua_binary_read_nodes_to_read (set when the request names nodes).' },
    { name: 'read_results_link_id', type: 'string', doc: 'Link into opcua_binary_read_results (set when the response has results).' },
    { name: 'diag_info_link_id', type: 'string', doc: 'Link into a diagnostic info log (not written by this analyzer; unset).' },
  ],
});

/** `opcua_binary_read_nodes_to_read`: one row per ReadValueId of a Read request (OPC 10000-4 §7.29; ICSNPP `OPCUA_Binary::ReadNodesToRead`). */
export const OPCUA_READ_NODES_TO_READ_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_read_nodes_to_read',
  doc: 'ReadValueIds of Read requests (ICSNPP opcua_binary_read_nodes_to_read.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'nodes_to_read_link_id', type: 'string', doc: 'Link back to the opcua_binary_read request row.' },
    { name: 'node_id_encoding_mask', type: 'string', doc: 'NodeId encoding byte, 0x-hex.' },
    { name: 'node_id_namespace_idx', type: 'count', doc: 'NodeId namespace (unset for TwoByte).' },
    { name: 'node_id_numeric', type: 'count', doc: 'NodeId numeric identifier.' },
    { name: 'node_id_string', type: 'string', doc: 'NodeId string identifier.' },
    { name: 'node_id_guid', type: 'string', doc: 'NodeId GUID identifier.' },
    { name: 'node_id_opaque', type: 'string', doc: 'NodeId opaque identifier, 0x-hex.' },
    { name: 'attribute_id', type: 'count', doc: 'AttributeId (OPC 10000-6 Annex A.1).' },
    { name: 'attribute_id_str', type: 'string', doc: 'Name of the attribute (Value, DisplayName …).' },
    { name: 'index_range', type: 'string', doc: 'IndexRange (unset when null or empty).' },
    { name: 'data_encoding_name_idx', type: 'count', doc: 'DataEncoding QualifiedName namespace.' },
    { name: 'data_encoding_name', type: 'string', doc: 'DataEncoding QualifiedName name (unset when null or empty).' },
  ],
});

/** `opcua_binary_read_results`: one row per DataValue of a Read response (OPC 10000-6 §5.2.2.17; ICSNPP `OPCUA_Binary::ReadResults`); the Variant value itself is not logged. */
export const OPCUA_READ_RESULTS_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_read_results',
  doc: 'DataValues of Read responses (ICSNPP opcua_binary_read_results.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'results_link_id', type: 'string', doc: 'Link back to the opcua_binary_read response row.' },
    { name: 'level', type: 'count', doc: 'Nesting level (0 top).' },
    { name: 'data_value_encoding_mask', type: 'string', doc: 'DataValue encoding mask, 0x-hex (0x01 Value, 0x02 StatusCode, 0x04 SourceTimestamp, 0x08 ServerTimestamp, 0x10/0x20 picoseconds).' },
    { name: 'status_code_link_id', type: 'string', doc: 'Link into opcua_binary_status_code_detail (set when the DataValue has a StatusCode).' },
    { name: 'source_timestamp', type: 'time', doc: 'SourceTimestamp, seconds since the epoch.' },
    { name: 'source_pico_sec', type: 'count', doc: 'SourcePicoseconds.' },
    { name: 'server_timestamp', type: 'time', doc: 'ServerTimestamp, seconds since the epoch.' },
    { name: 'server_pico_sec', type: 'count', doc: 'ServerPicoseconds.' },
    { name: 'read_results_variant_metadata_link_id', type: 'string', doc: 'Link into a variant log (not written by this analyzer; unset).' },
  ],
});

/**
 * `opcua_binary_write`: one row per WriteValue of a Write request and one per Write response (OPC
 * 10000-4 §5.11.4; ICSNPP `OPCUA_Binary::Write`); the value written is not logged, its DataValue header is.
 */
export const OPCUA_WRITE_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_write',
  doc: 'Write requests and responses (ICSNPP opcua_binary_write.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'node_id_encoding_mask', type: 'string', doc: 'Request WriteValue NodeId encoding byte, 0x-hex.' },
    { name: 'node_id_namespace_idx', type: 'count', doc: 'NodeId namespace (unset for TwoByte).' },
    { name: 'node_id_numeric', type: 'count', doc: 'NodeId numeric identifier.' },
    { name: 'node_id_string', type: 'string', doc: 'NodeId string identifier.' },
    { name: 'node_id_guid', type: 'string', doc: 'NodeId GUID identifier.' },
    { name: 'node_id_opaque', type: 'string', doc: 'NodeId opaque identifier, 0x-hex.' },
    { name: 'attribute_id', type: 'count', doc: 'AttributeId written (OPC 10000-6 Annex A.1).' },
    { name: 'attribute_id_str', type: 'string', doc: 'Name of the attribute.' },
    { name: 'index_range', type: 'string', doc: 'IndexRange (unset when null or empty).' },
    { name: 'data_value_encoding_mask', type: 'string', doc: 'DataValue encoding mask of the value written, 0x-hex.' },
    { name: 'req_status_code_link_id', type: 'string', doc: 'Link into opcua_binary_status_code_detail for the DataValue StatusCode (source Write).' },
    { name: 'source_timestamp', type: 'time', doc: 'DataValue SourceTimestamp, seconds since the epoch.' },
    { name: 'source_pico_sec', type: 'count', doc: 'DataValue SourcePicoseconds.' },
    { name: 'server_timestamp', type: 'time', doc: 'DataValue ServerTimestamp, seconds since the epoch.' },
    { name: 'server_pico_sec', type: 'count', doc: 'DataValue ServerPicoseconds.' },
    { name: 'write_results_variant_metadata_link_id', type: 'string', doc: 'Link into opcua_binary_variant_metadata: the type of the value written (source 4 Write_Variant); unset when the DataValue has no value.' },
    { name: 'res_status_code_link_id', type: 'string', doc: 'Response: link into opcua_binary_status_code_detail for the Results (source Write).' },
    { name: 'diag_info_link_id', type: 'string', doc: 'Link into a diagnostic info log (not written by this analyzer; unset).' },
  ],
});

/** `opcua_binary_browse`: one row per Browse / BrowseNext request and response (OPC 10000-4 §5.9; ICSNPP `OPCUA_Binary::Browse`). */
export const OPCUA_BROWSE_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_browse',
  doc: 'Browse and BrowseNext requests and responses (ICSNPP opcua_binary_browse.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'browse_service_type', type: 'string', doc: 'BrowseRequest, BrowseResponse, BrowseNextRequest or BrowseNextResponse.' },
    { name: 'browse_view_id_encoding_mask', type: 'string', doc: 'View ViewId encoding byte, 0x-hex.' },
    { name: 'browse_view_id_namespace_idx', type: 'count', doc: 'View ViewId namespace (unset for TwoByte).' },
    { name: 'browse_view_id_numeric', type: 'count', doc: 'View ViewId numeric identifier.' },
    { name: 'browse_view_id_string', type: 'string', doc: 'View ViewId string identifier.' },
    { name: 'browse_view_id_guid', type: 'string', doc: 'View ViewId GUID identifier.' },
    { name: 'browse_view_id_opaque', type: 'string', doc: 'View ViewId opaque identifier, 0x-hex.' },
    { name: 'browse_view_description_timestamp', type: 'time', doc: 'View Timestamp, seconds since the epoch (unset when 0).' },
    { name: 'browse_view_description_view_version', type: 'count', doc: 'View ViewVersion.' },
    { name: 'req_max_ref_nodes', type: 'count', doc: 'RequestedMaxReferencesPerNode (0 no limit).' },
    { name: 'browse_description_link_id', type: 'string', doc: 'Link into opcua_binary_browse_description (request rows naming nodes).' },
    { name: 'browse_next_release_continuation_point', type: 'bool', doc: 'BrowseNext ReleaseContinuationPoints.' },
    { name: 'browse_next_link_id', type: 'string', doc: 'Link into opcua_binary_browse_request_continuation_point.' },
    { name: 'browse_response_link_id', type: 'string', doc: 'Link between a response row and its opcua_binary_browse_result rows.' },
    { name: 'browse_diag_info_link_id', type: 'string', doc: 'Link into a diagnostic info log (not written by this analyzer; unset).' },
  ],
});

/** `opcua_binary_browse_description`: one row per BrowseDescription of a Browse request (OPC 10000-4 §5.9.2; ICSNPP `OPCUA_Binary::BrowseDescription`). */
export const OPCUA_BROWSE_DESCRIPTION_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_browse_description',
  doc: 'BrowseDescriptions of Browse requests (ICSNPP opcua_binary_browse_description.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'browse_description_link_id', type: 'string', doc: 'Link into opcua_binary_browse_description (request rows naming nodes).' },
    { name: 'browse_description_encoding_mask', type: 'string', doc: 'NodeId encoding byte, 0x-hex.' },
    { name: 'browse_description_namespace_idx', type: 'count', doc: 'NodeId namespace (unset for TwoByte).' },
    { name: 'browse_description_numeric', type: 'count', doc: 'NodeId numeric identifier.' },
    { name: 'browse_description_string', type: 'string', doc: 'NodeId string identifier.' },
    { name: 'browse_description_guid', type: 'string', doc: 'NodeId GUID identifier.' },
    { name: 'browse_description_opaque', type: 'string', doc: 'NodeId opaque identifier, 0x-hex.' },
    { name: 'browse_direction', type: 'string', doc: 'BrowseDirection: FWD, INVERSE or BOTH.' },
    { name: 'browse_description_ref_encoding_mask', type: 'string', doc: 'ReferenceTypeId encoding byte, 0x-hex.' },
    { name: 'browse_description_ref_namespace_idx', type: 'count', doc: 'ReferenceTypeId namespace (unset for TwoByte).' },
    { name: 'browse_description_ref_numeric', type: 'count', doc: 'ReferenceTypeId numeric identifier.' },
    { name: 'browse_description_ref_string', type: 'string', doc: 'ReferenceTypeId string identifier.' },
    { name: 'browse_description_ref_guid', type: 'string', doc: 'ReferenceTypeId GUID identifier.' },
    { name: 'browse_description_ref_opaque', type: 'string', doc: 'ReferenceTypeId opaque identifier, 0x-hex.' },
    { name: 'browse_description_include_subtypes', type: 'bool', doc: 'IncludeSubtypes.' },
    { name: 'browse_node_class_mask', type: 'string', doc: 'NodeClassMask as names (All for 0; names joined by | for several bits).' },
    { name: 'browse_result_mask', type: 'string', doc: 'ResultMask, 0x-hex of 8 digits.' },
  ],
});

/** `opcua_binary_browse_request_continuation_point`: one row per ContinuationPoint of a BrowseNext request (OPC 10000-4 §5.9.3; ICSNPP `OPCUA_Binary::BrowseRequestContinuationPoint`). */
export const OPCUA_BROWSE_CONTINUATION_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_browse_request_continuation_point',
  doc: 'ContinuationPoints of BrowseNext requests (ICSNPP opcua_binary_browse_request_continuation_point.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'browse_next_link_id', type: 'string', doc: 'Link into opcua_binary_browse_request_continuation_point.' },
    { name: 'continuation_point', type: 'string', doc: 'ContinuationPoint, 0x-hex of its first 24 bytes.' },
  ],
});

/** `opcua_binary_browse_result`: one row per BrowseResult of a Browse / BrowseNext response (OPC 10000-4 §7.6; ICSNPP `OPCUA_Binary::BrowseResult`). */
export const OPCUA_BROWSE_RESULT_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_browse_result',
  doc: 'BrowseResults of Browse responses (ICSNPP opcua_binary_browse_result.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'browse_response_link_id', type: 'string', doc: 'Link between a response row and its opcua_binary_browse_result rows.' },
    { name: 'status_code_link_id', type: 'string', doc: 'Link into opcua_binary_status_code_detail (source Browse).' },
    { name: 'browse_result_continuation_point', type: 'string', doc: 'ContinuationPoint, 0x-hex of its first 24 bytes (unset when empty).' },
    { name: 'browse_reference_link_id', type: 'string', doc: 'Link between a result row and its opcua_binary_browse_response_references rows.' },
  ],
});

/** `opcua_binary_browse_response_references`: one row per ReferenceDescription of a BrowseResult (OPC 10000-4 §7.30; ICSNPP `OPCUA_Binary::BrowseReference`). */
export const OPCUA_BROWSE_REFERENCES_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_browse_response_references',
  doc: 'ReferenceDescriptions of Browse results (ICSNPP opcua_binary_browse_response_references.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'browse_reference_link_id', type: 'string', doc: 'Link between a result row and its opcua_binary_browse_response_references rows.' },
    { name: 'browse_response_ref_encoding_mask', type: 'string', doc: 'ReferenceTypeId encoding byte, 0x-hex.' },
    { name: 'browse_response_ref_namespace_idx', type: 'count', doc: 'ReferenceTypeId namespace (unset for TwoByte).' },
    { name: 'browse_response_ref_numeric', type: 'count', doc: 'ReferenceTypeId numeric identifier.' },
    { name: 'browse_response_ref_string', type: 'string', doc: 'ReferenceTypeId string identifier.' },
    { name: 'browse_response_ref_guid', type: 'string', doc: 'ReferenceTypeId GUID identifier.' },
    { name: 'browse_response_ref_opaque', type: 'string', doc: 'ReferenceTypeId opaque identifier, 0x-hex.' },
    { name: 'browse_response_is_forward', type: 'bool', doc: 'IsForward.' },
    { name: 'browse_response_ref_type_encoding_mask', type: 'string', doc: 'target NodeId (ExpandedNodeId) encoding byte, 0x-hex.' },
    { name: 'browse_response_ref_type_namespace_idx', type: 'count', doc: 'target NodeId (ExpandedNodeId) namespace (unset for TwoByte).' },
    { name: 'browse_response_ref_type_numeric', type: 'count', doc: 'target NodeId (ExpandedNodeId) numeric identifier.' },
    { name: 'browse_response_ref_type_string', type: 'string', doc: 'target NodeId (ExpandedNodeId) string identifier.' },
    { name: 'browse_response_ref_type_guid', type: 'string', doc: 'target NodeId (ExpandedNodeId) GUID identifier.' },
    { name: 'browse_response_ref_type_opaque', type: 'string', doc: 'target NodeId (ExpandedNodeId) opaque identifier, 0x-hex.' },
    { name: 'browse_response_ref_type_namespace_uri', type: 'string', doc: 'target NodeId (ExpandedNodeId) NamespaceUri.' },
    { name: 'browse_response_ref_type_server_idx', type: 'count', doc: 'target NodeId (ExpandedNodeId) ServerIndex.' },
    { name: 'browse_response_ref_name_idx', type: 'count', doc: 'BrowseName namespace (unset for 0).' },
    { name: 'browse_response_ref_name', type: 'string', doc: 'BrowseName name.' },
    { name: 'browse_response_display_name_mask', type: 'string', doc: 'DisplayName LocalizedText encoding mask, 0x-hex.' },
    { name: 'browse_response_display_name_locale', type: 'string', doc: 'DisplayName locale.' },
    { name: 'browse_response_display_name_text', type: 'string', doc: 'DisplayName text.' },
    { name: 'browse_response_node_class', type: 'string', doc: 'NodeClass name (ObjectNodeClass …; unset for 0).' },
    { name: 'browse_response_type_def_encoding_mask', type: 'string', doc: 'TypeDefinition (ExpandedNodeId) encoding byte, 0x-hex.' },
    { name: 'browse_response_type_def_namespace_idx', type: 'count', doc: 'TypeDefinition (ExpandedNodeId) namespace (unset for TwoByte).' },
    { name: 'browse_response_type_def_numeric', type: 'count', doc: 'TypeDefinition (ExpandedNodeId) numeric identifier.' },
    { name: 'browse_response_type_def_string', type: 'string', doc: 'TypeDefinition (ExpandedNodeId) string identifier.' },
    { name: 'browse_response_type_def_guid', type: 'string', doc: 'TypeDefinition (ExpandedNodeId) GUID identifier.' },
    { name: 'browse_response_type_def_opaque', type: 'string', doc: 'TypeDefinition (ExpandedNodeId) opaque identifier, 0x-hex.' },
    { name: 'browse_response_type_def_namespace_uri', type: 'string', doc: 'TypeDefinition (ExpandedNodeId) NamespaceUri.' },
    { name: 'browse_response_type_def_server_idx', type: 'count', doc: 'TypeDefinition (ExpandedNodeId) ServerIndex.' },
  ],
});

/** `opcua_binary_create_monitored_items`: one row per CreateMonitoredItems request and response (OPC 10000-4 §5.12.2; ICSNPP `OPCUA_Binary::CreateMonitoredItems`). */
export const OPCUA_CREATE_MONITORED_ITEMS_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_create_monitored_items',
  doc: 'CreateMonitoredItems requests and responses (ICSNPP opcua_binary_create_monitored_items.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'subscription_id', type: 'count', doc: 'Request SubscriptionId.' },
    { name: 'timestamps_to_return', type: 'count', doc: 'Request TimestampsToReturn: 0 Source, 1 Server, 2 Both, 3 Neither, 4 Invalid.' },
    { name: 'timestamps_to_return_str', type: 'string', doc: 'Name of TimestampsToReturn.' },
    { name: 'create_item_link_id', type: 'string', doc: 'Link between a request or response row and its opcua_binary_create_monitored_items_create_item rows.' },
    { name: 'create_monitored_items_diag_info_link_id', type: 'string', doc: 'Link into a diagnostic info log (not written by this analyzer; unset).' },
  ],
});

/** `opcua_binary_create_monitored_items_create_item`: one row per MonitoredItemCreateRequest and per MonitoredItemCreateResult (OPC 10000-4 §5.12.2; ICSNPP `OPCUA_Binary::CreateMonitoredItemsItem`); filter bodies are not logged. */
export const OPCUA_CREATE_ITEM_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_create_monitored_items_create_item',
  doc: 'Items of CreateMonitoredItems requests and their results (ICSNPP opcua_binary_create_monitored_items_create_item.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'create_item_link_id', type: 'string', doc: 'Link between a request or response row and its opcua_binary_create_monitored_items_create_item rows.' },
    { name: 'item_to_monitor_node_id_encoding_mask', type: 'string', doc: 'ItemToMonitor NodeId encoding byte, 0x-hex.' },
    { name: 'item_to_monitor_node_id_namespace_idx', type: 'count', doc: 'ItemToMonitor NodeId namespace (unset for TwoByte).' },
    { name: 'item_to_monitor_node_id_numeric', type: 'count', doc: 'ItemToMonitor NodeId numeric identifier.' },
    { name: 'item_to_monitor_node_id_string', type: 'string', doc: 'ItemToMonitor NodeId string identifier.' },
    { name: 'item_to_monitor_node_id_guid', type: 'string', doc: 'ItemToMonitor NodeId GUID identifier.' },
    { name: 'item_to_monitor_node_id_opaque', type: 'string', doc: 'ItemToMonitor NodeId opaque identifier, 0x-hex.' },
    { name: 'item_to_monitor_attribute_id', type: 'string', doc: 'ItemToMonitor AttributeId as its name (Value …).' },
    { name: 'item_to_monitor_index_range', type: 'string', doc: 'ItemToMonitor IndexRange (unset when null or empty).' },
    { name: 'item_to_monitor_namespace_idx', type: 'count', doc: 'ItemToMonitor DataEncoding namespace (unset when the name is empty).' },
    { name: 'item_to_monitor_name', type: 'string', doc: 'ItemToMonitor DataEncoding name (unset when null or empty).' },
    { name: 'monitoring_mode', type: 'string', doc: 'MonitoringMode: Disabled, Sampling or Reporting.' },
    { name: 'monitoring_parameters_client_handle', type: 'count', doc: 'RequestedParameters ClientHandle.' },
    { name: 'monitoring_parameters_sampling_interval', type: 'double', doc: 'RequestedParameters SamplingInterval, milliseconds.' },
    { name: 'monitoring_parameters_queue_size', type: 'count', doc: 'RequestedParameters QueueSize.' },
    { name: 'monitoring_parameters_discard_oldest', type: 'bool', doc: 'RequestedParameters DiscardOldest.' },
    { name: 'monitoring_parameters_filter_info_type_id_node_id_encoding_mask', type: 'string', doc: 'Filter ExtensionObject type NodeId encoding byte, 0x-hex (unset for a null filter).' },
    { name: 'monitoring_parameters_filter_info_type_id_node_id_namespace_idx', type: 'count', doc: 'Filter type NodeId namespace.' },
    { name: 'monitoring_parameters_filter_info_type_id_node_id_numeric', type: 'count', doc: 'Filter type NodeId numeric identifier.' },
    { name: 'monitoring_parameters_filter_info_type_id_node_id_string', type: 'string', doc: 'Filter type NodeId string identifier.' },
    { name: 'monitoring_parameters_filter_info_type_id_node_id_guid', type: 'string', doc: 'Filter type NodeId GUID identifier.' },
    { name: 'monitoring_parameters_filter_info_type_id_node_id_opaque', type: 'string', doc: 'Filter type NodeId opaque identifier, 0x-hex.' },
    { name: 'monitoring_parameters_filter_info_type_id_string', type: 'string', doc: 'Filter type name (DataChangeFilter, EventFilter, AggregateFilter).' },
    { name: 'monitoring_parameters_filter_info_type_id_encoding', type: 'string', doc: 'Filter ExtensionObject encoding byte, 0x-hex.' },
    { name: 'filter_info_details_link_id', type: 'string', doc: 'Link into a filter log (not written by this analyzer; unset).' },
    { name: 'monitoring_parameters_status_code_link_id', type: 'string', doc: 'Response: link into opcua_binary_status_code_detail (source CreateMonitoredItems).' },
    { name: 'monitored_item_index_id', type: 'count', doc: 'Response MonitoredItemId.' },
    { name: 'monitoring_parameters_revised_sampling_interval', type: 'double', doc: 'Response RevisedSamplingInterval, milliseconds.' },
    { name: 'monitoring_parameters_revised_queue_size', type: 'count', doc: 'Response RevisedQueueSize.' },
  ],
});

/** `opcua_binary_activate_session`: one row per ActivateSession request and response (OPC 10000-4 §5.6.3; ICSNPP `OPCUA_Binary::ActivateSession`), with the user identity token (user name; the password's length only, redacted). */
export const OPCUA_ACTIVATE_SESSION_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_activate_session',
  doc: 'ActivateSession requests and responses (ICSNPP opcua_binary_activate_session.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'client_algorithm', type: 'string', doc: 'ClientSignature Algorithm (unset when empty).' },
    { name: 'client_signature', type: 'string', doc: 'ClientSignature Signature, 0x-hex of its first 24 bytes (unset when empty).' },
    { name: 'client_software_cert_link_id', type: 'string', doc: 'Link into opcua_binary_activate_session_client_software_cert.' },
    { name: 'opcua_locale_link_id', type: 'string', doc: 'Link into opcua_binary_activate_session_locale_id.' },
    { name: 'ext_obj_type_id_encoding_mask', type: 'string', doc: 'UserIdentityToken type NodeId encoding byte, 0x-hex.' },
    { name: 'ext_obj_type_id_namespace_idx', type: 'count', doc: 'UserIdentityToken type NodeId namespace (unset for TwoByte).' },
    { name: 'ext_obj_type_id_numeric', type: 'count', doc: 'UserIdentityToken type NodeId numeric identifier (321 Anonymous, 324 UserName, 327 X509, 940 Issued).' },
    { name: 'ext_obj_type_id_string', type: 'string', doc: 'UserIdentityToken type NodeId string identifier.' },
    { name: 'ext_obj_type_id_guid', type: 'string', doc: 'UserIdentityToken type NodeId GUID identifier.' },
    { name: 'ext_obj_type_id_opaque', type: 'string', doc: 'UserIdentityToken type NodeId opaque identifier, 0x-hex.' },
    { name: 'ext_obj_type_id_str', type: 'string', doc: 'UserIdentityToken type name (AnonymousIdentityToken …).' },
    { name: 'ext_obj_encoding', type: 'string', doc: 'UserIdentityToken ExtensionObject encoding byte, 0x-hex.' },
    { name: 'ext_obj_policy_id', type: 'string', doc: 'Token PolicyId.' },
    { name: 'ext_obj_user_name', type: 'string', doc: 'UserNameIdentityToken UserName.' },
    { name: 'ext_obj_password', type: 'string', doc: 'UserNameIdentityToken Password: never its value (as Zeek, default_capture_password F), only `redacted (N bytes)` — a password sent in clear when no EncryptionAlgorithm is named (ICSNPP logs the value).' },
    { name: 'ext_obj_encryption_algorithom', type: 'string', doc: 'Token EncryptionAlgorithm (ICSNPP spelling).' },
    { name: 'ext_obj_certificate_data', type: 'string', doc: 'X509IdentityToken CertificateData, 0x-hex of its first 24 bytes.' },
    { name: 'ext_obj_token_data', type: 'string', doc: 'IssuedIdentityToken TokenData, 0x-hex of its first 24 bytes.' },
    { name: 'user_token_algorithm', type: 'string', doc: 'UserTokenSignature Algorithm (unset when empty).' },
    { name: 'user_token_signature', type: 'string', doc: 'UserTokenSignature Signature, 0x-hex of its first 24 bytes (unset when empty).' },
    { name: 'server_nonce', type: 'string', doc: 'Response ServerNonce, 0x-hex of its first 24 bytes.' },
    { name: 'status_code_link_id', type: 'string', doc: 'Response: link into opcua_binary_status_code_detail for the Results (source ActivateSession).' },
    { name: 'activate_session_diag_info_link_id', type: 'string', doc: 'Link into a diagnostic info log (not written by this analyzer; unset).' },
  ],
});

/** `opcua_binary_activate_session_client_software_cert`: one row per SignedSoftwareCertificate of an ActivateSession request (ICSNPP `OPCUA_Binary::ActivateSessionClientSoftwareCert`). */
export const OPCUA_ACTIVATE_SESSION_CERT_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_activate_session_client_software_cert',
  doc: 'ClientSoftwareCertificates of ActivateSession requests (ICSNPP opcua_binary_activate_session_client_software_cert.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'client_software_cert_link_id', type: 'string', doc: 'Link into opcua_binary_activate_session_client_software_cert.' },
    { name: 'cert_data', type: 'string', doc: 'SignedSoftwareCertificate CertificateData, raw bytes as text.' },
    { name: 'cert_signature', type: 'string', doc: 'SignedSoftwareCertificate Signature, raw bytes as text.' },
  ],
});

/** `opcua_binary_activate_session_locale_id`: one row per LocaleId of an ActivateSession request (ICSNPP `OPCUA_Binary::ActivateSessionLocaleId`). */
export const OPCUA_ACTIVATE_SESSION_LOCALE_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_activate_session_locale_id',
  doc: 'LocaleIds of ActivateSession requests (ICSNPP opcua_binary_activate_session_locale_id.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_locale_link_id', type: 'string', doc: 'Link into opcua_binary_activate_session_locale_id.' },
    { name: 'local_id', type: 'string', doc: 'LocaleId (ICSNPP spelling).' },
  ],
});

/** `opcua_binary_get_endpoints`: one row per GetEndpoints request and response (OPC 10000-4 §5.4.4; ICSNPP `OPCUA_Binary::GetEndpoints`). */
export const OPCUA_GET_ENDPOINTS_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_get_endpoints',
  doc: 'GetEndpoints requests and responses (ICSNPP opcua_binary_get_endpoints.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'endpoint_url', type: 'string', doc: 'EndpointUrl.' },
    { name: 'locale_link_id', type: 'string', doc: 'Link into opcua_binary_get_endpoints_locale_id.' },
    { name: 'profile_uri_link_id', type: 'string', doc: 'Link into opcua_binary_get_endpoints_profile_uri.' },
    { name: 'endpoint_description_link_id', type: 'string', doc: 'Link between a response row and its opcua_binary_get_endpoints_description rows.' },
  ],
});

/** `opcua_binary_get_endpoints_description`: one row per EndpointDescription of a GetEndpoints response (OPC 10000-4 §7.14; ICSNPP `OPCUA_Binary::GetEndpointsDescription`). */
export const OPCUA_GET_ENDPOINTS_DESCRIPTION_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_get_endpoints_description',
  doc: 'EndpointDescriptions of GetEndpoints responses (ICSNPP opcua_binary_get_endpoints_description.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'endpoint_description_link_id', type: 'string', doc: 'Link between a response row and its opcua_binary_get_endpoints_description rows.' },
    { name: 'endpoint_uri', type: 'string', doc: 'EndpointDescription EndpointUrl.' },
    { name: 'application_uri', type: 'string', doc: 'ApplicationDescription ApplicationUri.' },
    { name: 'product_uri', type: 'string', doc: 'ApplicationDescription ProductUri.' },
    { name: 'encoding_mask', type: 'count', doc: 'ApplicationName LocalizedText encoding mask.' },
    { name: 'locale', type: 'string', doc: 'ApplicationName locale.' },
    { name: 'text', type: 'string', doc: 'ApplicationName text.' },
    { name: 'application_type', type: 'count', doc: 'ApplicationType: 0 Server, 1 Client, 2 ClientAndServer, 3 DiscoveryServer.' },
    { name: 'gateway_server_uri', type: 'string', doc: 'GatewayServerUri.' },
    { name: 'discovery_profile_uri', type: 'string', doc: 'DiscoveryProfileUri.' },
    { name: 'discovery_profile_link_id', type: 'string', doc: 'Link into the discovery log (DiscoveryUrls).' },
    { name: 'cert_size', type: 'count', doc: 'ServerCertificate length in bytes (unset when null).' },
    { name: 'server_cert', type: 'string', doc: 'ServerCertificate, 0x-hex of its first 24 bytes.' },
    { name: 'message_security_mode', type: 'count', doc: 'SecurityMode: 1 None, 2 Sign, 3 SignAndEncrypt.' },
    { name: 'security_policy_uri', type: 'string', doc: 'SecurityPolicyUri.' },
    { name: 'user_token_link_id', type: 'string', doc: 'Link into the user token log (UserIdentityTokens).' },
    { name: 'transport_profile_uri', type: 'string', doc: 'TransportProfileUri.' },
    { name: 'security_level', type: 'count', doc: 'SecurityLevel.' },
  ],
});

/** `opcua_binary_get_endpoints_discovery`: one row per DiscoveryUrl of the server of an endpoint (ICSNPP `OPCUA_Binary::GetEndpointsDiscovery`). */
export const OPCUA_GET_ENDPOINTS_DISCOVERY_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_get_endpoints_discovery',
  doc: 'DiscoveryUrls of GetEndpoints endpoint descriptions (ICSNPP opcua_binary_get_endpoints_discovery.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'discovery_profile_link_id', type: 'string', doc: 'Link into the discovery log (DiscoveryUrls).' },
    { name: 'discovery_profile_url', type: 'string', doc: 'One DiscoveryUrl.' },
  ],
});

/** `opcua_binary_get_endpoints_user_token`: one row per UserTokenPolicy of an endpoint (OPC 10000-4 §7.42; ICSNPP `OPCUA_Binary::GetEndpointsUserToken`). */
export const OPCUA_GET_ENDPOINTS_USER_TOKEN_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_get_endpoints_user_token',
  doc: 'UserTokenPolicies of GetEndpoints endpoint descriptions (ICSNPP opcua_binary_get_endpoints_user_token.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'user_token_link_id', type: 'string', doc: 'Link into the user token log (UserIdentityTokens).' },
    { name: 'user_token_policy_id', type: 'string', doc: 'UserTokenPolicy PolicyId.' },
    { name: 'user_token_type', type: 'count', doc: 'UserTokenPolicy TokenType: 0 Anonymous, 1 UserName, 2 Certificate, 3 IssuedToken.' },
    { name: 'user_token_issued_type', type: 'string', doc: 'UserTokenPolicy IssuedTokenType.' },
    { name: 'user_token_endpoint_url', type: 'string', doc: 'UserTokenPolicy IssuerEndpointUrl.' },
    { name: 'user_token_sec_policy_uri', type: 'string', doc: 'UserTokenPolicy SecurityPolicyUri.' },
  ],
});

/** `opcua_binary_get_endpoints_locale_id`: one row per LocaleId of a GetEndpoints request (ICSNPP `OPCUA_Binary::GetEndpointsLocaleId`). */
export const OPCUA_GET_ENDPOINTS_LOCALE_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_get_endpoints_locale_id',
  doc: 'LocaleIds of GetEndpoints requests (ICSNPP opcua_binary_get_endpoints_locale_id.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'locale_link_id', type: 'string', doc: 'Link into opcua_binary_get_endpoints_locale_id.' },
    { name: 'locale_id', type: 'string', doc: 'One LocaleId.' },
  ],
});

/** `opcua_binary_get_endpoints_profile_uri`: one row per ProfileUri of a GetEndpoints request (ICSNPP `OPCUA_Binary::GetEndpointsProfileUri`). */
export const OPCUA_GET_ENDPOINTS_PROFILE_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_get_endpoints_profile_uri',
  doc: 'ProfileUris of GetEndpoints requests (ICSNPP opcua_binary_get_endpoints_profile_uri.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'profile_uri_link_id', type: 'string', doc: 'Link into opcua_binary_get_endpoints_profile_uri.' },
    { name: 'profile_uri', type: 'string', doc: 'One ProfileUri.' },
  ],
});

/** `opcua_binary_create_session`: one row per CreateSession request and response (OPC 10000-4 §5.6.2; ICSNPP `OPCUA_Binary::CreateSession`). */
export const OPCUA_CREATE_SESSION_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_create_session',
  doc: 'CreateSession requests and responses (ICSNPP opcua_binary_create_session.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' },
    { name: 'application_uri', type: 'string', doc: 'ApplicationDescription ApplicationUri.' },
    { name: 'product_uri', type: 'string', doc: 'ApplicationDescription ProductUri.' },
    { name: 'encoding_mask', type: 'count', doc: 'ApplicationName LocalizedText encoding mask.' },
    { name: 'locale', type: 'string', doc: 'ApplicationName locale.' },
    { name: 'text', type: 'string', doc: 'ApplicationName text.' },
    { name: 'application_type', type: 'count', doc: 'ApplicationType: 0 Server, 1 Client, 2 ClientAndServer, 3 DiscoveryServer.' },
    { name: 'gateway_server_uri', type: 'string', doc: 'GatewayServerUri.' },
    { name: 'discovery_profile_uri', type: 'string', doc: 'DiscoveryProfileUri.' },
    { name: 'discovery_profile_link_id', type: 'string', doc: 'Link into the discovery log (DiscoveryUrls).' },
    { name: 'server_uri', type: 'string', doc: 'Request ServerUri.' },
    { name: 'endpoint_url', type: 'string', doc: 'EndpointUrl.' },
    { name: 'session_name', type: 'string', doc: 'Request SessionName.' },
    { name: 'client_nonce', type: 'string', doc: 'Request ClientNonce, 0x-hex of its first 24 bytes.' },
    { name: 'client_cert_size', type: 'count', doc: 'Request ClientCertificate length in bytes.' },
    { name: 'client_cert', type: 'string', doc: 'Request ClientCertificate, 0x-hex of its first 24 bytes.' },
    { name: 'req_session_timeout', type: 'count', doc: 'Request RequestedSessionTimeout, milliseconds (whole part).' },
    { name: 'max_res_msg_size', type: 'count', doc: 'Request MaxResponseMessageSize, bytes.' },
    { name: 'session_id_encoding_mask', type: 'string', doc: 'Response SessionId NodeId encoding byte, 0x-hex.' },
    { name: 'session_id_namespace_idx', type: 'count', doc: 'Response SessionId namespace (unset for TwoByte).' },
    { name: 'session_id_numeric', type: 'count', doc: 'Response SessionId numeric identifier.' },
    { name: 'session_id_string', type: 'string', doc: 'Response SessionId string identifier.' },
    { name: 'session_id_guid', type: 'string', doc: 'Response SessionId GUID identifier.' },
    { name: 'session_id_opaque', type: 'string', doc: 'Response SessionId opaque identifier, 0x-hex.' },
    { name: 'auth_token_encoding_mask', type: 'string', doc: 'Response AuthenticationToken NodeId encoding byte, 0x-hex.' },
    { name: 'auth_token_namespace_idx', type: 'count', doc: 'Response AuthenticationToken namespace (unset for TwoByte).' },
    { name: 'auth_token_numeric', type: 'count', doc: 'Response AuthenticationToken numeric identifier.' },
    { name: 'auth_token_string', type: 'string', doc: 'Response AuthenticationToken string identifier.' },
    { name: 'auth_token_guid', type: 'string', doc: 'Response AuthenticationToken GUID identifier.' },
    { name: 'auth_token_opaque', type: 'string', doc: 'Response AuthenticationToken opaque identifier, 0x-hex.' },
    { name: 'revised_session_timeout', type: 'count', doc: 'Response RevisedSessionTimeout, milliseconds (whole part).' },
    { name: 'server_nonce', type: 'string', doc: 'Response ServerNonce, 0x-hex of its first 24 bytes.' },
    { name: 'server_cert_size', type: 'count', doc: 'Response ServerCertificate length in bytes.' },
    { name: 'server_cert', type: 'string', doc: 'ServerCertificate, 0x-hex of its first 24 bytes.' },
    { name: 'endpoint_link_id', type: 'string', doc: 'Link into opcua_binary_create_session_endpoints.' },
    { name: 'algorithm', type: 'string', doc: 'Response ServerSignature Algorithm.' },
    { name: 'signature', type: 'string', doc: 'Response ServerSignature Signature, 0x-hex of its first 24 bytes.' },
    { name: 'max_req_msg_size', type: 'count', doc: 'Response MaxRequestMessageSize, bytes.' },
  ],
});

/** `opcua_binary_create_session_discovery`: one row per DiscoveryUrl of the client or of the server of an endpoint (ICSNPP `OPCUA_Binary::CreateSessionDiscovery`). */
export const OPCUA_CREATE_SESSION_DISCOVERY_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_create_session_discovery',
  doc: 'DiscoveryUrls of CreateSession application descriptions (ICSNPP opcua_binary_create_session_discovery.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'discovery_profile_link_id', type: 'string', doc: 'Link into the discovery log (DiscoveryUrls).' },
    { name: 'discovery_profile_uri', type: 'string', doc: 'DiscoveryProfileUri.' },
    { name: 'discovery_profile_url', type: 'string', doc: 'One DiscoveryUrl.' },
  ],
});

/** `opcua_binary_create_session_endpoints`: one row per EndpointDescription of a CreateSession response (OPC 10000-4 §7.14; ICSNPP `OPCUA_Binary::CreateSessionEndpoints`). */
export const OPCUA_CREATE_SESSION_ENDPOINTS_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_create_session_endpoints',
  doc: 'ServerEndpoints of CreateSession responses (ICSNPP opcua_binary_create_session_endpoints.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'endpoint_link_id', type: 'string', doc: 'Link into opcua_binary_create_session_endpoints.' },
    { name: 'endpoint_url', type: 'string', doc: 'EndpointUrl.' },
    { name: 'application_uri', type: 'string', doc: 'ApplicationDescription ApplicationUri.' },
    { name: 'product_uri', type: 'string', doc: 'ApplicationDescription ProductUri.' },
    { name: 'encoding_mask', type: 'count', doc: 'ApplicationName LocalizedText encoding mask.' },
    { name: 'locale', type: 'string', doc: 'ApplicationName locale.' },
    { name: 'text', type: 'string', doc: 'ApplicationName text.' },
    { name: 'application_type', type: 'count', doc: 'ApplicationType: 0 Server, 1 Client, 2 ClientAndServer, 3 DiscoveryServer.' },
    { name: 'gateway_server_uri', type: 'string', doc: 'GatewayServerUri.' },
    { name: 'discovery_profile_uri', type: 'string', doc: 'DiscoveryProfileUri.' },
    { name: 'discovery_profile_link_id', type: 'string', doc: 'Link into the discovery log (DiscoveryUrls).' },
    { name: 'cert_size', type: 'count', doc: 'ServerCertificate length in bytes (unset when null).' },
    { name: 'server_cert', type: 'string', doc: 'ServerCertificate, 0x-hex of its first 24 bytes.' },
    { name: 'message_security_mode', type: 'count', doc: 'SecurityMode: 1 None, 2 Sign, 3 SignAndEncrypt.' },
    { name: 'security_policy_uri', type: 'string', doc: 'SecurityPolicyUri.' },
    { name: 'user_token_link_id', type: 'string', doc: 'Link into the user token log (UserIdentityTokens).' },
    { name: 'transport_profile_uri', type: 'string', doc: 'TransportProfileUri.' },
    { name: 'security_level', type: 'count', doc: 'SecurityLevel.' },
  ],
});

/** `opcua_binary_create_session_user_token`: one row per UserTokenPolicy of an endpoint (OPC 10000-4 §7.42; ICSNPP `OPCUA_Binary::CreateSessionUserToken`). */
export const OPCUA_CREATE_SESSION_USER_TOKEN_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_create_session_user_token',
  doc: 'UserTokenPolicies of CreateSession endpoints (ICSNPP opcua_binary_create_session_user_token.log).',
  fields: [
    { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
    { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
    { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
    { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
    { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
    { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
    { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
    { name: 'source_h', type: 'addr', doc: 'Sender address.' },
    { name: 'source_p', type: 'port', doc: 'Sender port.' },
    { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
    { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
    { name: 'user_token_link_id', type: 'string', doc: 'Link into the user token log (UserIdentityTokens).' },
    { name: 'user_token_policy_id', type: 'string', doc: 'UserTokenPolicy PolicyId.' },
    { name: 'user_token_type', type: 'count', doc: 'UserTokenPolicy TokenType: 0 Anonymous, 1 UserName, 2 Certificate, 3 IssuedToken.' },
    { name: 'user_token_issued_type', type: 'string', doc: 'UserTokenPolicy IssuedTokenType.' },
    { name: 'user_token_endpoint_url', type: 'string', doc: 'UserTokenPolicy IssuerEndpointUrl.' },
    { name: 'user_token_sec_policy_uri', type: 'string', doc: 'UserTokenPolicy SecurityPolicyUri.' },
  ],
});

/** The columns every OPC UA child log starts with: time, flow, direction, sender and receiver. */
const MESSAGE_COLUMNS = [
  { name: 'ts', type: 'time', doc: 'Time of the message, seconds since the epoch.' },
  { name: 'uid', type: 'string', doc: 'Flow uid, as in conn.' },
  { name: 'id.orig_h', type: 'addr', doc: 'Originator address.' },
  { name: 'id.orig_p', type: 'port', doc: 'Originator port.' },
  { name: 'id.resp_h', type: 'addr', doc: 'Responder address.' },
  { name: 'id.resp_p', type: 'port', doc: 'Responder port.' },
  { name: 'is_orig', type: 'bool', doc: 'True when the originator sent the message.' },
  { name: 'source_h', type: 'addr', doc: 'Sender address.' },
  { name: 'source_p', type: 'port', doc: 'Sender port.' },
  { name: 'destination_h', type: 'addr', doc: 'Receiver address.' },
  { name: 'destination_p', type: 'port', doc: 'Receiver port.' },
] as const;

const OPCUA_LINK = { name: 'opcua_link_id', type: 'string', doc: 'Link id of the message in opcua_binary.' } as const;

/** NodeId columns under a prefix, ICSNPP's flattening of an OpcUA_NodeId (OPC 10000-6 §5.2.2.9). */
function nodeIdColumns(prefix: string, what: string): StreamSchema['fields'] {
  return [
    { name: `${prefix}_encoding_mask`, type: 'string', doc: `${what} NodeId encoding byte, 0x-hex.` },
    { name: `${prefix}_namespace_idx`, type: 'count', doc: `${what} namespace (unset for TwoByte).` },
    { name: `${prefix}_numeric`, type: 'count', doc: `${what} numeric identifier.` },
    { name: `${prefix}_string`, type: 'string', doc: `${what} string identifier.` },
    { name: `${prefix}_guid`, type: 'string', doc: `${what} GUID identifier.` },
    { name: `${prefix}_opaque`, type: 'string', doc: `${what} opaque identifier, 0x-hex.` },
  ];
}

/**
 * `opcua_binary_variant_metadata`: the type of one Variant (OPC 10000-6 §5.2.2.16; ICSNPP
 * `OPCUA_Binary::VariantMetadata`, scripts/variant-types.zeek, in its field order and spelling). Written
 * for the values of Write requests (source 4 Write_Variant, ICSNPP's number) and the input and output
 * arguments of Call (5 CallInputArgument_Variant, 6 CallOutputArgument_Variant, numbers past ICSNPP's).
 * The values are not logged (variant_data_link_id and the array-dimension link stay unset).
 */
export const OPCUA_VARIANT_METADATA_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_variant_metadata',
  doc: 'OPC UA Variant types of written values and method arguments (ICSNPP opcua_binary_variant_metadata.log).',
  fields: [
    ...MESSAGE_COLUMNS,
    { name: 'variant_source_data_link_id', type: 'string', doc: 'Link back into the row holding the Variant (write, call_method, call_result).' },
    { name: 'variant_data_source', type: 'count', doc: 'Where the Variant was found: 4 Write, 5 Call input argument, 6 Call output argument.' },
    { name: 'variant_data_source_str', type: 'string', doc: 'Write_Variant / CallInputArgument_Variant / CallOutputArgument_Variant.' },
    { name: 'dara_variant_encoding_mask', type: 'string', doc: 'Variant encoding byte, 0x-hex (ICSNPP spelling of the name).' },
    { name: 'data_variant_data_type', type: 'count', doc: '0 Value (scalar), 1 Array, 2 MultiDimArray (encoding bits 0x80 / 0x40).' },
    { name: 'data_variant_data_type_str', type: 'string', doc: 'Value / Array / MultiDimArray.' },
    { name: 'built_in_data_type', type: 'count', doc: 'Built-in type id, encoding bits 0-5 (OPC 10000-6 §5.1.2 Table 1).' },
    { name: 'built_in_data_type_str', type: 'string', doc: 'Name of the built-in type as ICSNPP spells it (Boolean, Int32, Uint32, String, ...).' },
    { name: 'variant_data_link_id', type: 'string', doc: 'Link into a variant value log (values are not logged; unset).' },
    { name: 'variant_data_array_dim', type: 'count', doc: 'Array: the array length; MultiDimArray: the number of ArrayDimensions.' },
    { name: 'variant_data_array_multi_dim_link_id', type: 'string', doc: 'Link into an array-dimensions log (not written; unset).' },
  ],
});

/** `opcua_binary_call`: one row per Call request and per Call response (OPC 10000-4 §5.11.2), linked to its methods or results. */
export const OPCUA_CALL_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_call',
  doc: 'OPC UA Call requests and responses.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'call_method_link_id', type: 'string', doc: 'Request: link into opcua_binary_call_method (MethodsToCall); unset when none.' },
    { name: 'call_result_link_id', type: 'string', doc: 'Response: link into opcua_binary_call_result (Results); unset when none.' },
  ],
});

/** `opcua_binary_call_method`: one row per CallMethodRequest (OPC 10000-4 §5.11.2.2): the object, the method and its input arguments' types. */
export const OPCUA_CALL_METHOD_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_call_method',
  doc: 'OPC UA methods called (CallMethodRequest).',
  fields: [
    ...MESSAGE_COLUMNS,
    { name: 'call_method_link_id', type: 'string', doc: 'Link back into opcua_binary_call.' },
    ...nodeIdColumns('object_id', 'ObjectId'),
    ...nodeIdColumns('method_id', 'MethodId'),
    { name: 'input_argument_count', type: 'count', doc: 'Number of InputArguments on the wire.' },
    { name: 'input_arguments_variant_metadata_link_id', type: 'string', doc: 'Link into opcua_binary_variant_metadata (source 5), one row per argument kept; unset when none.' },
  ],
});

/** `opcua_binary_call_result`: one row per CallMethodResult (OPC 10000-4 §5.11.2.2 Table 66). */
export const OPCUA_CALL_RESULT_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_call_result',
  doc: 'OPC UA method call results (CallMethodResult).',
  fields: [
    ...MESSAGE_COLUMNS,
    { name: 'call_result_link_id', type: 'string', doc: 'Link back into opcua_binary_call.' },
    { name: 'status_code_link_id', type: 'string', doc: 'Link into opcua_binary_status_code_detail for the result StatusCode (source 20 Call).' },
    { name: 'input_argument_result_count', type: 'count', doc: 'Number of InputArgumentResults on the wire.' },
    { name: 'input_argument_results_status_code_link_id', type: 'string', doc: 'Link into opcua_binary_status_code_detail for the InputArgumentResults (source 21 Call_InputArgument); unset when none.' },
    { name: 'output_argument_count', type: 'count', doc: 'Number of OutputArguments on the wire.' },
    { name: 'output_arguments_variant_metadata_link_id', type: 'string', doc: 'Link into opcua_binary_variant_metadata (source 6), one row per argument kept; unset when none.' },
  ],
});

/** `opcua_binary_modify_subscription`: ModifySubscription request and response parameters (OPC 10000-4 §5.13.3), columns named as in opcua_binary_create_subscription. */
export const OPCUA_MODIFY_SUBSCRIPTION_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_modify_subscription',
  doc: 'OPC UA ModifySubscription parameters.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'subscription_id', type: 'count', doc: 'Request SubscriptionId.' },
    { name: 'requested_publishing_interval', type: 'count', doc: 'RequestedPublishingInterval, whole milliseconds.' },
    { name: 'requested_lifetime_count', type: 'count', doc: 'RequestedLifetimeCount.' },
    { name: 'requested_max_keep_alive_count', type: 'count', doc: 'RequestedMaxKeepAliveCount.' },
    { name: 'max_notifications_per_publish', type: 'count', doc: 'MaxNotificationsPerPublish.' },
    { name: 'priority', type: 'count', doc: 'Priority.' },
    { name: 'revised_publishing_interval', type: 'count', doc: 'Response RevisedPublishingInterval, whole milliseconds.' },
    { name: 'revised_lifetime_count', type: 'count', doc: 'Response RevisedLifetimeCount.' },
    { name: 'revised_max_keep_alive_count', type: 'count', doc: 'Response RevisedMaxKeepAliveCount.' },
  ],
});

/** `opcua_binary_set_publishing_mode`: SetPublishingMode requests and responses (OPC 10000-4 §5.13.4). */
export const OPCUA_SET_PUBLISHING_MODE_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_set_publishing_mode',
  doc: 'OPC UA SetPublishingMode requests and responses.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'publishing_enabled', type: 'bool', doc: 'Request PublishingEnabled.' },
    { name: 'subscription_ids', type: 'vector[count]', doc: 'Request SubscriptionIds (at most limits.maxVectorLength).' },
    { name: 'status_code_link_id', type: 'string', doc: 'Response: link into opcua_binary_status_code_detail for the Results (source 22 SetPublishingMode).' },
  ],
});

/** Columns of a NotificationMessage summary (OPC 10000-4 §7.26, NotificationData §7.25). */
const NOTIFICATION_COLUMNS: StreamSchema['fields'] = [
  { name: 'notification_sequence_number', type: 'count', doc: 'NotificationMessage SequenceNumber.' },
  { name: 'publish_time', type: 'time', doc: 'NotificationMessage PublishTime, seconds since the epoch (unset when 0).' },
  { name: 'notification_data_count', type: 'count', doc: 'Number of NotificationData ExtensionObjects.' },
  { name: 'data_change_notifications', type: 'count', doc: 'DataChangeNotifications among them.' },
  { name: 'monitored_item_notifications', type: 'count', doc: 'MonitoredItemNotifications in the DataChangeNotifications.' },
  { name: 'event_notification_lists', type: 'count', doc: 'EventNotificationLists among them.' },
  { name: 'event_field_lists', type: 'count', doc: 'EventFieldLists (events) in the EventNotificationLists.' },
  { name: 'status_change_notifications', type: 'count', doc: 'StatusChangeNotifications among them.' },
  { name: 'status_change_status_code_link_id', type: 'string', doc: 'Link into opcua_binary_status_code_detail for their Status (source 24 StatusChangeNotification); unset when none.' },
];

/** `opcua_binary_publish`: one row per Publish request (acknowledgements) and per Publish response (OPC 10000-4 §5.13.5). */
export const OPCUA_PUBLISH_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_publish',
  doc: 'OPC UA Publish requests and responses.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'ack_subscription_ids', type: 'vector[count]', doc: 'Request SubscriptionAcknowledgements: SubscriptionIds (at most limits.maxVectorLength).' },
    { name: 'ack_sequence_numbers', type: 'vector[count]', doc: 'Request SubscriptionAcknowledgements: SequenceNumbers, parallel to ack_subscription_ids.' },
    { name: 'subscription_id', type: 'count', doc: 'Response SubscriptionId.' },
    { name: 'available_sequence_numbers', type: 'vector[count]', doc: 'Response AvailableSequenceNumbers (at most limits.maxVectorLength).' },
    { name: 'more_notifications', type: 'bool', doc: 'Response MoreNotifications.' },
    ...NOTIFICATION_COLUMNS,
    { name: 'status_code_link_id', type: 'string', doc: 'Response: link into opcua_binary_status_code_detail for the acknowledgement Results (source 23 Publish); unset when none.' },
  ],
});

/** `opcua_binary_republish`: one row per Republish request and response (OPC 10000-4 §5.13.6). */
export const OPCUA_REPUBLISH_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_republish',
  doc: 'OPC UA Republish requests and responses.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'subscription_id', type: 'count', doc: 'Request SubscriptionId.' },
    { name: 'retransmit_sequence_number', type: 'count', doc: 'Request RetransmitSequenceNumber.' },
    ...NOTIFICATION_COLUMNS,
  ],
});

/** `opcua_binary_delete_subscriptions`: DeleteSubscriptions requests and responses (OPC 10000-4 §5.13.8). */
export const OPCUA_DELETE_SUBSCRIPTIONS_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_delete_subscriptions',
  doc: 'OPC UA DeleteSubscriptions requests and responses.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'subscription_ids', type: 'vector[count]', doc: 'Request SubscriptionIds (at most limits.maxVectorLength).' },
    { name: 'status_code_link_id', type: 'string', doc: 'Response: link into opcua_binary_status_code_detail for the Results (source 25 DeleteSubscriptions).' },
  ],
});

/** `opcua_binary_modify_monitored_items`: one row per ModifyMonitoredItems request and response (OPC 10000-4 §5.12.3), as opcua_binary_create_monitored_items. */
export const OPCUA_MODIFY_MONITORED_ITEMS_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_modify_monitored_items',
  doc: 'OPC UA ModifyMonitoredItems requests and responses.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'subscription_id', type: 'count', doc: 'Request SubscriptionId.' },
    { name: 'timestamps_to_return', type: 'count', doc: 'Request TimestampsToReturn: 0 Source, 1 Server, 2 Both, 3 Neither.' },
    { name: 'timestamps_to_return_str', type: 'string', doc: 'Name of TimestampsToReturn.' },
    { name: 'modify_item_link_id', type: 'string', doc: 'Link into opcua_binary_modify_monitored_items_modify_item; unset when none.' },
  ],
});

/** `opcua_binary_modify_monitored_items_modify_item`: one row per MonitoredItemModifyRequest and per MonitoredItemModifyResult (OPC 10000-4 §5.12.3). */
export const OPCUA_MODIFY_ITEM_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_modify_monitored_items_modify_item',
  doc: 'OPC UA monitored items modified, and the results.',
  fields: [
    ...MESSAGE_COLUMNS,
    { name: 'modify_item_link_id', type: 'string', doc: 'Link back into opcua_binary_modify_monitored_items.' },
    { name: 'monitored_item_id', type: 'count', doc: 'Request MonitoredItemId.' },
    { name: 'monitoring_parameters_client_handle', type: 'count', doc: 'Requested ClientHandle.' },
    { name: 'monitoring_parameters_sampling_interval', type: 'double', doc: 'Requested SamplingInterval, milliseconds.' },
    { name: 'monitoring_parameters_queue_size', type: 'count', doc: 'Requested QueueSize.' },
    { name: 'monitoring_parameters_discard_oldest', type: 'bool', doc: 'Requested DiscardOldest.' },
    { name: 'monitoring_parameters_filter_info_type_id_string', type: 'string', doc: 'Filter type (DataChangeFilter, EventFilter, AggregateFilter); unset for a null filter. The filter itself is not logged.' },
    { name: 'monitoring_parameters_status_code_link_id', type: 'string', doc: 'Result: link into opcua_binary_status_code_detail (source 26 ModifyMonitoredItems).' },
    { name: 'monitoring_parameters_revised_sampling_interval', type: 'double', doc: 'Result RevisedSamplingInterval, milliseconds.' },
    { name: 'monitoring_parameters_revised_queue_size', type: 'count', doc: 'Result RevisedQueueSize.' },
  ],
});

/** `opcua_binary_set_monitoring_mode`: SetMonitoringMode requests and responses (OPC 10000-4 §5.12.4). */
export const OPCUA_SET_MONITORING_MODE_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_set_monitoring_mode',
  doc: 'OPC UA SetMonitoringMode requests and responses.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'subscription_id', type: 'count', doc: 'Request SubscriptionId.' },
    { name: 'monitoring_mode', type: 'string', doc: 'Request MonitoringMode: Disabled, Sampling, Reporting.' },
    { name: 'monitored_item_ids', type: 'vector[count]', doc: 'Request MonitoredItemIds (at most limits.maxVectorLength).' },
    { name: 'status_code_link_id', type: 'string', doc: 'Response: link into opcua_binary_status_code_detail for the Results (source 27 SetMonitoringMode).' },
  ],
});

/** `opcua_binary_delete_monitored_items`: DeleteMonitoredItems requests and responses (OPC 10000-4 §5.12.6). */
export const OPCUA_DELETE_MONITORED_ITEMS_STREAM: StreamSchema = defineStream({
  name: 'opcua_binary_delete_monitored_items',
  doc: 'OPC UA DeleteMonitoredItems requests and responses.',
  fields: [
    ...MESSAGE_COLUMNS,
    OPCUA_LINK,
    { name: 'subscription_id', type: 'count', doc: 'Request SubscriptionId.' },
    { name: 'monitored_item_ids', type: 'vector[count]', doc: 'Request MonitoredItemIds (at most limits.maxVectorLength).' },
    { name: 'status_code_link_id', type: 'string', doc: 'Response: link into opcua_binary_status_code_detail for the Results (source 28 DeleteMonitoredItems).' },
  ],
});
