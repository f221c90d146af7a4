/**
 * Hand-made EtherNet/IP + CIP messages (CIP Vol 2 ch. 2 encapsulation, Vol 1 Message Router),
 * one commented line per field. `hex` accepts spaces and `#` comments.
 */
export { subView as noisy, concat } from '../modbus/fixtures.js';

/** Bytes of a commented hex dump. */
export function hex(text: string): Uint8Array {
  const clean = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** RegisterSession request (Vol 2 §2-4.4), 28 bytes. */
export const REGISTER_SESSION_REQ = hex(`
  65 00                     # command 0x0065 RegisterSession
  04 00                     # length 4
  00 00 00 00               # session handle 0
  00 00 00 00               # status 0 Success
  01 02 03 04 05 06 07 08   # sender context
  00 00 00 00               # options 0
  01 00                     # protocol version 1
  00 00                     # option flags 0
`);

/** RegisterSession reply: the target assigns session 0x12345678. */
export const REGISTER_SESSION_REP = hex(`
  65 00                     # command RegisterSession
  04 00                     # length 4
  78 56 34 12               # session handle 0x12345678
  00 00 00 00               # status Success
  01 02 03 04 05 06 07 08   # sender context echoed
  00 00 00 00               # options
  01 00                     # protocol version 1
  00 00                     # option flags
`);

/** SendRRData carrying an unconnected Get_Attributes_All to Identity instance 1 (Vol 1 §, §5A-2). */
export const GAA_IDENTITY_REQ = hex(`
  6f 00                     # command 0x006F SendRRData
  16 00                     # length 22
  78 56 34 12               # session handle
  00 00 00 00               # status
  11 22 33 44 55 66 77 88   # sender context
  00 00 00 00               # options
  00 00 00 00               # interface handle 0 (CIP)
  0a 00                     # timeout 10 s
  02 00                     # CPF item count 2
  00 00 00 00               # null address item, length 0
  b2 00 06 00               # unconnected data item, length 6
  01                        # service 0x01 Get_Attributes_All (request)
  02                        # request path size 2 words
  20 01                     # logical class, 8-bit: 0x01 Identity
  24 01                     # logical instance, 8-bit: 1
`);

/** The reply: Identity attributes 1–8 of a 1756-L61/B controller. */
export const GAA_IDENTITY_REP = hex(`
  6f 00                     # command SendRRData
  2e 00                     # length 46
  78 56 34 12               # session handle
  00 00 00 00               # status
  11 22 33 44 55 66 77 88   # sender context echoed
  00 00 00 00               # options
  00 00 00 00               # interface handle
  00 00                     # timeout
  02 00                     # CPF item count 2
  00 00 00 00               # null address item
  b2 00 1e 00               # unconnected data item, length 30
  81                        # service 0x81: Get_Attributes_All reply
  00                        # reserved
  00                        # general status 0 Success
  00                        # additional status size 0 words
  01 00                     # vendor id 1 (Rockwell Automation/Allen-Bradley)
  0e 00                     # device type 14 (Programmable Logic Controller)
  36 00                     # product code 54
  14 0b                     # revision 20.11
  60 30                     # status 0x3060
  ae 8f 3a 00               # serial number 0x003a8fae
  0a                        # product name length 10
  31 37 35 36 2d 4c 36 31 2f 42   # "1756-L61/B"
  03                        # state 3
`);

/** SendUnitData, connected: a Multiple Service Packet of Get_Attribute_Single and Get_Attribute_List (Vol 1 § ). */
export const MSP_REQ = hex(`
  70 00                     # command 0x0070 SendUnitData
  34 00                     # length 52
  78 56 34 12               # session handle
  00 00 00 00               # status
  00 00 00 00 00 00 00 00   # sender context
  00 00 00 00               # options
  00 00 00 00               # interface handle
  00 00                     # timeout
  02 00                     # CPF item count 2
  a1 00 04 00               # connected address item, length 4
  01 19 83 00               # connection id 0x00831901
  b1 00 20 00               # connected data item, length 32
  2a 00                     # CIP sequence count 42
  0a                        # service 0x0A Multiple Service Packet
  02                        # path size 2 words
  20 02                     # class 0x02 Message Router
  24 01                     # instance 1
  02 00                     # service count 2
  06 00                     # offset of service 0
  0e 00                     # offset of service 1
  0e                        # service 0: 0x0E Get_Attribute_Single
  03                        # path size 3 words
  20 01                     # class 0x01 Identity
  24 01                     # instance 1
  30 07                     # attribute 7
  03                        # service 1: 0x03 Get_Attribute_List
  02                        # path size 2 words
  20 f5                     # class 0xF5 TCP/IP Interface
  24 01                     # instance 1
  01 00                     # attribute count 1
  05 00                     # attribute 5
`);

/** The reply: the packet fails with 0x1E, its second service with 0x05 and extended status 0x0107. */
export const MSP_REP = hex(`
  70 00                     # command SendUnitData
  2c 00                     # length 44
  78 56 34 12               # session handle
  00 00 00 00               # status
  00 00 00 00 00 00 00 00   # sender context
  00 00 00 00               # options
  00 00 00 00               # interface handle
  00 00                     # timeout
  02 00                     # CPF item count 2
  a1 00 04 00               # connected address item, length 4
  02 00 fe 80               # connection id 0x80fe0002
  b1 00 18 00               # connected data item, length 24
  2a 00                     # CIP sequence count 42 (echoed)
  8a                        # service 0x8A Multiple Service Packet reply
  00                        # reserved
  1e                        # general status 0x1E Embedded Service Error
  00                        # additional status size 0
  02 00                     # service count 2
  06 00                     # offset of reply 0
  0c 00                     # offset of reply 1
  8e 00 00 00               # reply 0: Get_Attribute_Single reply, Success
  41 42                     # reply 0 data
  83 00 05 01               # reply 1: Get_Attribute_List reply, status 0x05, 1 additional status word
  07 01                     # additional status 0x0107
`);

/** ListIdentity reply with one CIP Identity item (Vol 2 §2-4.2.3, Table 2-4.4). */
export const LIST_IDENTITY_REP = hex(`
  63 00                     # command 0x0063 ListIdentity
  33 00                     # length 51
  00 00 00 00               # session handle
  00 00 00 00               # status
  00 00 00 00 c1 de be d1   # sender context
  00 00 00 00               # options
  01 00                     # CPF item count 1
  0c 00 2d 00               # CIP Identity item, length 45
  01 00                     # encapsulation version 1
  00 02                     # sin_family 2 (big-endian)
  af 12                     # sin_port 44818 (big-endian)
  0a 01 01 a4               # sin_addr 10.1.1.164 (big-endian)
  00 00 00 00 00 00 00 00   # sin_zero
  01 00                     # vendor id 1
  0c 00                     # device type 12 Communications Adapter
  3a 00                     # product code 58
  04 03                     # revision 4.3
  30 00                     # status 0x0030
  8e 4d 52 00               # serial number 0x00524d8e
  0b                        # product name length 11
  31 37 35 36 2d 45 4e 42 54 2f 41   # "1756-ENBT/A"
  03                        # state 3
`);

/** A class-1 I/O datagram (Vol 2 §3-2.2). */
export const IO_DATAGRAM = hex(`
  02 00                     # CPF item count 2
  02 80 08 00               # sequenced address item 0x8002, length 8
  03 06 4b 00               # connection id 0x004b0603
  db 94 3f 00               # encapsulation sequence number 4166875
  b1 00 06 00               # connected data item, length 6
  a5 87                     # CIP sequence count
  e8 0f 03 00               # I/O data
`);
