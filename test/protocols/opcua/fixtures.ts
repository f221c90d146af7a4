/**
 * OPC UA binary test messages (OPC 10000-6 §7.1.2, §6.7.2), written field by field: each part is
 * [hex, field]. The OpenSecureChannel pair and the CloseSession pair copy open62541's messages of
 * icsnpp/opcua-binary/traces/open62541_client-server_mainloop.pcap (channel 4, request ids 1 and 4).
 */
export { subView } from '../modbus/fixtures.js';

/** One field: its bytes as hex (spaces allowed) and what it is. */
export type Field = readonly [hex: string, field: string];

/** The bytes of the fields, in order. */
export function bytes(...fields: readonly Field[]): Uint8Array {
  const hex = fields.map(([h]) => h.replace(/\s+/g, '')).join('');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Little-endian UInt32 hex of `n`. */
export function u32(n: number): string {
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Hex of an OPC UA String (Int32 length + UTF-8). */
export function uaString(s: string): string {
  return u32(s.length) + Buffer.from(s, 'utf8').toString('hex');
}

export const POLICY_NONE = 'http://opcfoundation.org/UA/SecurityPolicy#None';

/** HEL, 56 bytes (§7.1.2.3). */
export const HEL: Uint8Array = bytes(
  ['48454c', 'MessageType HEL'],
  ['46', 'ChunkType F'],
  [u32(56), 'MessageSize 56'],
  [u32(0), 'ProtocolVersion 0'],
  [u32(65535), 'ReceiveBufferSize 65535'],
  [u32(65535), 'SendBufferSize 65535'],
  [u32(0), 'MaxMessageSize 0 (no limit)'],
  [u32(0), 'MaxChunkCount 0 (no limit)'],
  [uaString('opc.tcp://localhost:4840'), 'EndpointUrl (24 bytes)'],
);

/** ACK, 28 bytes (§7.1.2.4). */
export const ACK: Uint8Array = bytes(
  ['41434b', 'MessageType ACK'],
  ['46', 'ChunkType F'],
  [u32(28), 'MessageSize 28'],
  [u32(0), 'ProtocolVersion 0'],
  [u32(65535), 'ReceiveBufferSize'],
  [u32(65535), 'SendBufferSize'],
  [u32(0), 'MaxMessageSize'],
  [u32(0), 'MaxChunkCount'],
);

/** ERR, 25 bytes (§7.1.2.5): BadTcpEndpointUrlInvalid with a reason. */
export const ERR: Uint8Array = bytes(
  ['455252', 'MessageType ERR'],
  ['46', 'ChunkType F'],
  [u32(25), 'MessageSize 25'],
  ['00008380', 'Error 0x80830000 BadTcpEndpointUrlInvalid'],
  [uaString('bad url a'), 'Reason (9 bytes)'],
);

const ASYM_NONE: readonly Field[] = [
  [uaString(POLICY_NONE), 'SecurityPolicyUri (47 bytes)'],
  ['ffffffff', 'SenderCertificate null'],
  ['ffffffff', 'ReceiverCertificateThumbprint null'],
];

/** OpenSecureChannelRequest, 132 bytes, policy None, request id 1. */
export const OPN_REQ: Uint8Array = bytes(
  ['4f504e', 'MessageType OPN'],
  ['46', 'ChunkType F'],
  [u32(132), 'MessageSize 132'],
  [u32(0), 'SecureChannelId 0 (new channel)'],
  ...ASYM_NONE,
  [u32(1), 'SequenceNumber 1'],
  [u32(1), 'RequestId 1'],
  ['01 00 be01', 'TypeId FourByte ns 0 id 446 OpenSecureChannelRequest'],
  ['00 00', 'RequestHeader.AuthenticationToken TwoByte 0'],
  ['e0ca4ba425d1d501', 'RequestHeader.Timestamp: DateTime ticks 0x01d5d125a44bcae0'],
  [u32(0), 'RequestHeader.RequestHandle 0'],
  [u32(0), 'RequestHeader.ReturnDiagnostics 0'],
  ['ffffffff', 'RequestHeader.AuditEntryId null'],
  [u32(0), 'RequestHeader.TimeoutHint 0'],
  ['00 00 00', 'RequestHeader.AdditionalHeader: TypeId TwoByte 0, encoding 0 (no body)'],
  [u32(0), 'ClientProtocolVersion 0'],
  [u32(0), 'RequestType 0 Issue'],
  [u32(1), 'SecurityMode 1 None'],
  ['ffffffff', 'ClientNonce null'],
  [u32(600000), 'RequestedLifetime 600000 ms'],
);

/** OpenSecureChannelResponse, 135 bytes: channel 4, token 4. */
export const OPN_RES: Uint8Array = bytes(
  ['4f504e', 'MessageType OPN'],
  ['46', 'ChunkType F'],
  [u32(135), 'MessageSize 135'],
  [u32(4), 'SecureChannelId 4'],
  ...ASYM_NONE,
  [u32(1), 'SequenceNumber 1'],
  [u32(1), 'RequestId 1'],
  ['01 00 c101', 'TypeId FourByte ns 0 id 449 OpenSecureChannelResponse'],
  ['f0a5c7a425d1d501', 'ResponseHeader.Timestamp: ticks 0x01d5d125a4c7a5f0'],
  [u32(0), 'ResponseHeader.RequestHandle 0'],
  ['00000000', 'ResponseHeader.ServiceResult Good'],
  ['00', 'ResponseHeader.ServiceDiagnostics: empty DiagnosticInfo'],
  ['ffffffff', 'ResponseHeader.StringTable null'],
  ['00 00 00', 'ResponseHeader.AdditionalHeader null ExtensionObject'],
  [u32(0), 'ServerProtocolVersion 0'],
  [u32(4), 'SecurityToken.ChannelId 4'],
  [u32(4), 'SecurityToken.TokenId 4'],
  ['f0a5c7a425d1d501', 'SecurityToken.CreatedAt: ticks 0x01d5d125a4c7a5f0'],
  [u32(600000), 'SecurityToken.RevisedLifetime 600000 ms'],
  ['ffffffff', 'ServerNonce null'],
);

/** The 16 GUID bytes of the session's AuthenticationToken as sent (Data1, Data2, Data3 little-endian). */
export const TOKEN_GUID_WIRE = '39121615 46f3 6d34 fecffcbfbacb4c14';

/** CloseSessionRequest, 75 bytes, request id 9, GUID AuthenticationToken. */
export const CLOSE_REQ: Uint8Array = bytes(
  ['4d5347', 'MessageType MSG'],
  ['46', 'ChunkType F'],
  [u32(75), 'MessageSize 75'],
  [u32(4), 'SecureChannelId 4'],
  [u32(4), 'TokenId 4'],
  [u32(9), 'SequenceNumber 9'],
  [u32(9), 'RequestId 9'],
  ['01 00 d901', 'TypeId FourByte ns 0 id 473 CloseSessionRequest'],
  ['04 0100', 'RequestHeader.AuthenticationToken: Guid encoding, namespace 1'],
  [TOKEN_GUID_WIRE, 'Guid: Data1 0x15161239, Data2 0xf346, Data3 0x346d, Data4 fe cf fc bf ba cb 4c 14'],
  ['e0ca4ba425d1d501', 'RequestHeader.Timestamp: ticks 0x01d5d125a44bcae0'],
  [u32(7), 'RequestHeader.RequestHandle 7'],
  [u32(0), 'RequestHeader.ReturnDiagnostics 0'],
  ['ffffffff', 'RequestHeader.AuditEntryId null'],
  [u32(10000), 'RequestHeader.TimeoutHint 10000 ms'],
  ['00 00 00', 'RequestHeader.AdditionalHeader null'],
  ['01', 'DeleteSubscriptions true'],
);

/** CloseSessionResponse (a ServiceResult BadSessionIdInvalid), 52 bytes, request id 9. */
export const CLOSE_RES: Uint8Array = bytes(
  ['4d5347', 'MessageType MSG'],
  ['46', 'ChunkType F'],
  [u32(52), 'MessageSize 52'],
  [u32(4), 'SecureChannelId 4'],
  [u32(4), 'TokenId 4'],
  [u32(9), 'SequenceNumber 9'],
  [u32(9), 'RequestId 9'],
  ['01 00 dc01', 'TypeId FourByte ns 0 id 476 CloseSessionResponse'],
  ['f0a5c7a425d1d501', 'ResponseHeader.Timestamp: ticks 0x01d5d125a4c7a5f0'],
  [u32(7), 'ResponseHeader.RequestHandle 7'],
  ['00002580', 'ResponseHeader.ServiceResult 0x80250000 BadSessionIdInvalid'],
  ['00', 'ResponseHeader.ServiceDiagnostics empty'],
  ['ffffffff', 'ResponseHeader.StringTable null'],
  ['00 00 00', 'ResponseHeader.AdditionalHeader null'],
);
