import type { ConnId } from '../../session/analyzer.js';

/** Modbus/TCP server ports: the well-known port 502 (Modbus Messaging on TCP/IP Implementation Guide V1.0b §4.2). */
export const MODBUS_SERVER_PORTS: readonly number[] = Object.freeze([502]);

/**
 * Which side of a TCP connection is the Modbus client, decided by port as Wireshark's mbtcp
 * dissector does (a PDU sent to the server port is a query, one sent from it a response):
 * - the responder is on a server port → the originator is the client (the usual case);
 * - only the originator is on a server port → the responder is the client (a device that opens
 *   connections from port 502 and answers on them);
 * - both or neither → the originator is the client (Zeek's rule).
 * The TCP originator (`id.orig_*`, Zeek's conn_id) is left as it is; only request/response roles follow.
 * @param id the connection's Zeek-style id (ports 0..65535)
 * @param serverPorts ports a Modbus server listens on (default `MODBUS_SERVER_PORTS`)
 * @returns true when the originator sends requests, false when the responder does
 */
export function originatorIsClient(id: Readonly<ConnId>, serverPorts: readonly number[] = MODBUS_SERVER_PORTS): boolean {
  return serverPorts.includes(id.resp_p) || !serverPorts.includes(id.orig_p);
}
