/**
 * S7comm test frames as hex, one comment per field (TPKT RFC 1006 §6, COTP ISO 8073 §13.7, S7comm header
 * and parameters as Wireshark's packet-s7comm.c names them). Frames marked "snap7.pcap frame N" are the TCP
 * payloads of that frame of the public capture icsnpp/s7comm/traces/snap7.pcap.
 */
export { subView as noisy } from '../modbus/fixtures.js';

/** Bytes of a hex string (whitespace and `// comments` to the end of a line ignored). */
export function hex(s: string): Uint8Array {
  const t = s.replace(/\/\/.*$/gm, '').replace(/\s+/g, '');
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Job: Setup Communication (snap7.pcap frame 1). */
export const SETUP_JOB = hex(`
  03 00 00 19  // TPKT: version 3, reserved, length 25
  02 f0 80  // COTP: LI 2, DT, EOT + TPDU-NR 0
  32 01  // S7: protocol id, ROSCTR 1 Job
  00 00  // redundancy id
  00 00  // PDU reference 0
  00 08 00 00  // parameter length 8, data length 0
  f0 00  // function 0xf0 Setup Communication, reserved
  00 01 00 01  // max AmQ calling 1, called 1
  01 e0  // PDU length 480
`);

/** Ack-Data: Setup Communication (snap7.pcap frame 2). */
export const SETUP_ACK = hex(`
  03 00 00 1b  // TPKT length 27
  02 f0 80  // COTP DT, EOT
  32 03  // S7: ROSCTR 3 Ack-Data
  00 00 00 00  // redundancy id, PDU reference 0
  00 08 00 00  // parameter length 8, data length 0
  00 00  // error class 0, error code 0
  f0 00 00 01 00 01 00 f0  // Setup Communication: AmQ 1/1, PDU length 240
`);

/** User-Data: Read SZL request, SZL 0x0011 index 0 (snap7.pcap frame 3). */
export const SZL_REQUEST = hex(`
  03 00 00 21  // TPKT length 33
  02 f0 80  // COTP DT, EOT
  32 07  // S7: ROSCTR 7 User-Data
  00 00  // redundancy id
  01 00  // PDU reference 0x0100 = 256 (big-endian; ICSNPP logs 1)
  00 08 00 08  // parameter length 8, data length 8
  00 01 12 04  // parameter head, parameter length 4
  11  // method 0x11 request
  44  // type 4 request, group 4 CPU functions
  01 00  // subfunction 1 Read SZL, sequence 0
  ff 09 00 04  // data: return code 0xff, transport size 9, length 4
  00 11 00 00  // SZL id 0x0011, index 0x0000
`);

/** User-Data: Read SZL 0x0011 response, module identification, 4 records of 28 bytes (snap7.pcap frame 4). */
export const SZL_11_RESPONSE = hex(`
  03 00 00 99  // TPKT length 153
  02 f0 80  // COTP DT, EOT
  32 07 00 00  // S7: User-Data, redundancy id
  01 00  // PDU reference 0x0100
  00 0c 00 7c  // parameter length 12, data length 124
  00 01 12 08  // parameter head, parameter length 8
  12 84  // method 0x12 response; type 8 response, group 4 CPU functions
  01 02  // subfunction 1 Read SZL, sequence 2
  00 00  // data unit reference 0, last data unit 0 = last
  00 00  // error code 0
  ff 09 00 78  // data: return code 0xff, transport size 9, length 120
  00 11 00 00  // SZL id 0x0011, index 0
  00 1c 00 04  // LENTHDR 28 bytes, N_DR 4 records
  0001  // record 1: index 0x0001 identification of the module
  36455337203331352d32454831342d3041423020  // MlfB "6ES7 315-2EH14-0AB0 " (20 chars, space padded)
  00c0 0003 0001  // BGTyp 0x00c0, Ausbg 3, Ausbe 1
  0006  // record 2: index 0x0006 basic hardware
  36455337203331352d32454831342d3041423020  // MlfB "6ES7 315-2EH14-0AB0 "
  00c0 0003 0001  // BGTyp 0x00c0, Ausbg 3 (hardware version), Ausbe 1
  0007  // record 3: index 0x0007 basic firmware
  2020202020202020202020202020202020202020  // MlfB blank (20 spaces)
  00c0 5603 0207  // BGTyp 0x00c0, Ausbg 'V' 3, Ausbe 2 7: firmware V 3.2.7
  0081  // record 4: index 0x0081 firmware extension
  426f6f74204c6f61646572202020202020202020  // MlfB "Boot Loader"
  0000 4120 0909  // BGTyp 0, Ausbg 'A' 32, Ausbe 9 9
`);

/** Records of SZL 0x001c in snap7.pcap frame 6: index (2 bytes) + 32 bytes each; 6 whole records and 2 bytes of the 7th. */
const RECORDS_FIRST = `
  0001 53373330302f45543230304d2073746174696f6e5f3100000000000000000000  // index 1 automation system name "S7300/ET200M station_1"
  0002 504c435f31000000000000000000000000000000000000000000000000000000  // index 2 module name "PLC_1"
  0003 0000000000000000000000000000000000000000000000000000000000000000  // index 3 plant designation (empty)
  0004 4f726967696e616c205369656d656e732045717569706d656e74000000000000  // index 4 copyright "Original Siemens Equipment"
  0005 5320432d42315533393331343230313100000000000000000000000000000000  // index 5 serial number "S C-B1U393142011"
  0007 435055203331352d3220504e2f44500000000000000000000000000000000000  // index 7 module type name "CPU 315-2 PN/DP"
  0008  // first 2 bytes of the 7th record: index 8
`;

/** User-Data: first fragment of the Read SZL 0x001c response (snap7.pcap frame 6). */
export const SZL_1C_FIRST = hex(`
  03 00 00 f7  // TPKT length 247
  02 f0 80  // COTP DT, EOT
  32 07 00 00  // S7: User-Data, redundancy id
  02 00  // PDU reference 0x0200
  00 0c 00 da  // parameter length 12, data length 218
  00 01 12 08  // parameter head, parameter length 8
  12 84  // method 0x12 response; type 8 response, group 4 CPU functions
  01 02  // subfunction 1 Read SZL, sequence 2
  d5 01  // data unit reference 0xd5, last data unit 0x01 = more follow
  00 00  // error code 0
  ff 09 00 d6  // data: return code 0xff, transport size 9, length 214
  00 1c 00 00  // SZL id 0x001c, index 0
  00 22 00 0a  // LENTHDR 34 bytes, N_DR 10 records
` + RECORDS_FIRST);

/** User-Data: the follow-up request for the rest of the SZL 0x001c response (snap7.pcap frame 7). */
export const SZL_1C_NEXT_REQUEST = hex(`
  03 00 00 21  // TPKT length 33
  02 f0 80  // COTP DT, EOT
  32 07 00 00  // S7: User-Data, redundancy id
  03 00  // PDU reference 0x0300
  00 0c 00 04  // parameter length 12, data length 4
  00 01 12 08  // parameter head, parameter length 8
  12 44  // method 0x12; type 4 request, group 4 CPU functions
  01 02  // subfunction 1 Read SZL, sequence 2
  00 00 00 00  // data unit reference 0, last data unit 0, error code 0
  0a 00 00 00  // data: return code 0x0a, transport size 0, length 0 (no SZL id)
`);

/** User-Data: last fragment of the SZL 0x001c response (snap7.pcap frame 8): the rest of record 8, records 9–11. */
export const SZL_1C_LAST = hex(`
  03 00 00 a7  // TPKT length 167
  02 f0 80  // COTP DT, EOT
  32 07 00 00  // S7: User-Data, redundancy id
  03 00  // PDU reference 0x0300
  00 0c 00 8a  // parameter length 12, data length 138
  00 01 12 08  // parameter head, parameter length 8
  12 84 01 02  // response, CPU functions, Read SZL, sequence 2
  d5 00  // data unit reference 0xd5, last data unit 0 = last
  00 00  // error code 0
  ff 09 00 86  // data: return code 0xff, transport size 9, length 134
` + `
  4d4d432034413141433031390000000000000000000000000000000000000000  // the other 32 bytes of record 8 (MMC serial "MMC 4A1AC019")
  0009 002af60000010000000000000000000000000000000000000000000000000000  // index 9
  000a 0000000000000000000000000000000000000000000000000000000000000000  // index 10
  000b 0000000000000000000000000000000000000000000000000000000000000000  // index 11
`);

/** Ack (ROSCTR 2) with an error and no parameter: the refused Start Upload (snap7.pcap frame 44). */
export const ACK_ERROR = hex(`
  03 00 00 13  // TPKT length 19
  02 f0 80  // COTP DT, EOT
  32 02  // S7: ROSCTR 2 Ack
  00 00  // redundancy id
  15 00  // PDU reference 0x1500
  00 00 00 00  // parameter length 0, data length 0
  d2 0c  // error class 0xd2, error code 0x0c
`);

/** Job: Start Upload of SDB 0 (snap7.pcap frame 17). */
export const START_UPLOAD_JOB = hex(`
  03 00 00 23  // TPKT length 35
  02 f0 80  // COTP DT, EOT
  32 01 00 00  // S7: Job, redundancy id
  08 00  // PDU reference 0x0800
  00 12 00 00  // parameter length 18, data length 0
  1d 00  // function 0x1d Start Upload, status 0
  00 00  // unknown
  00 00 00 00  // session id 0
  09  // file name length 9
  5f 30 42 30 30 30 30 30 41  // _0B00000A: type 0B (SDB), number 00000, file system A
`);

/** Ack-Data: Start Upload, session 7, block length "0000216" (snap7.pcap frame 18). */
export const START_UPLOAD_ACK = hex(`
  03 00 00 23  // TPKT length 35
  02 f0 80  // COTP DT, EOT
  32 03 00 00  // S7: Ack-Data, redundancy id
  08 00  // PDU reference 0x0800
  00 10 00 00  // parameter length 16, data length 0
  00 00  // error class 0, code 0
  1d 00  // function Start Upload, status 0
  01 00  // unknown
  00 00 00 07  // session id 7
  07  // block length string length 7
  30 30 30 30 32 31 36  // "0000216"
`);

/** Job: PLC Control, PI service _MODU (copy RAM to ROM) (snap7.pcap frame 59). */
export const PLC_CONTROL_JOB = hex(`
  03 00 00 23  // TPKT length 35
  02 f0 80  // COTP DT, EOT
  32 01 00 00  // S7: Job, redundancy id
  1d 00  // PDU reference 0x1d00
  00 12 00 00  // parameter length 18, data length 0
  28  // function 0x28 PLC Control
  00 00 00 00 00 00 fd  // unknown
  00 02  // parameter block length 2
  45 50  // parameter block "EP"
  05  // PI service length 5
  5f 4d 4f 44 55  // _MODU
`);

/** S7comm-plus V3 request, Set Variable (0x04f2), cut after the function code (s7comm_plus.pcap, first request). */
export const PLUS_REQUEST = hex(`
  03 00 00 31  // TPKT length 49
  02 f0 80  // COTP DT, EOT
  72 03  // S7comm-plus: protocol id, version 3
  00 59  // data length 89
  20  // digest length 32
  e969a95a852ab0e288480ccecb618e48779f4b68a1ce9a9c42cd6aa536800683  // digest (32 bytes)
  31  // opcode 0x31 request
  00 00  // reserved
  04 f2  // function 0x04f2 Set Variable
`);
