import { defineStream, type StreamSchema } from '../events/schema.js';

/**
 * The `assets` stream: one record per host (IP address) seen in conn records, protocol records
 * or ARP, written at the end of a run by assets/asset-builder.ts. Field names follow Zeek's
 * known_hosts / software logs where one exists (`ts`, `host`).
 * Natural key: (`ts`, `host`): replaying a run inserts nothing new; a run that first saw the host
 * at another time adds a row (inventory history).
 */
export const ASSETS_SCHEMA: StreamSchema = defineStream({
  name: 'assets',
  doc: 'Asset inventory: one record per host with its MACs, vendors, services, roles, peers and traffic totals.',
  key: ['ts', 'host'],
  fields: [
    { name: 'ts', type: 'time', doc: 'Time the host was first seen (= first_seen), seconds since the epoch.' },
    { name: 'host', type: 'addr', doc: 'IP address identifying the host.' },
    { name: 'macs', type: 'vector[string]', doc: 'MAC addresses attributed to the host itself (aa:bb:cc:dd:ee:ff), sorted.' },
    {
      name: 'gateway_macs',
      type: 'vector[string]',
      doc: 'MACs the host was seen behind that are likely gateways (seen with many IPs) and not its own (no ARP binding), sorted.',
    },
    { name: 'vendors', type: 'vector[string]', doc: 'IEEE registry organizations of the MACs in macs (MA-S > MA-M > MA-L), sorted.' },
    { name: 'first_seen', type: 'time', doc: 'Start of the first flow or ARP packet involving the host.' },
    { name: 'last_seen', type: 'time', doc: 'End (ts + duration) of the last flow or ARP packet involving the host.' },
    {
      name: 'protocols',
      type: 'set[string]',
      doc: 'Services the host spoke (conn service names) and transport/port it answered on (tcp/502, udp/47808, icmp), sorted.',
    },
    { name: 'roles', type: 'set[string]', doc: 'Roles from protocol records (modbus_client, modbus_server) and from conn services (s7comm_client/server, opcua_client/server, enip_client/server, cip_io_originator/target, dnp3_master/outstation, mqtt_client/broker), sorted.' },
    { name: 'peers', type: 'count', doc: 'Distinct hosts it exchanged flows with (saturates at the per-host peer bound).' },
    { name: 'peer_list', type: 'vector[string]', doc: 'The lowest peer addresses in numeric order, bounded.' },
    { name: 'orig_flows', type: 'count', doc: 'Flows (conn records) the host originated.' },
    { name: 'resp_flows', type: 'count', doc: 'Flows (conn records) the host answered.' },
    { name: 'bytes_sent', type: 'count', doc: 'IP bytes the host sent (conn orig_ip_bytes / resp_ip_bytes; payload bytes when absent).' },
    { name: 'bytes_received', type: 'count', doc: 'IP bytes the host received.' },
    { name: 'local', type: 'bool', doc: 'Private address: RFC 1918, loopback, link-local, IPv6 unique local.' },
    { name: 'device_vendor', type: 'string', doc: 'Maker the device names itself by in an identity answer (Modbus VendorName, S7 / CIP identity); unset when none was seen.' },
    { name: 'device_product', type: 'string', doc: 'Product name or code the device gives (Modbus ProductCode, CIP product name, S7 module).' },
    { name: 'device_model', type: 'string', doc: 'Model or product name the device gives (Modbus ProductName / ModelName, S7 module type).' },
    { name: 'device_firmware', type: 'string', doc: 'Firmware or revision the device gives (Modbus MajorMinorRevision, CIP revision, S7 firmware).' },
    { name: 'device_serial', type: 'string', doc: 'Serial number the device gives (CIP, S7).' },
    { name: 'identified_by', type: 'set[string]', doc: 'Log streams the device identity came from (e.g. modbus_read_device_identification).' },
    { name: 'zone', type: 'string', doc: 'Site-policy zone of the host; unset until a site policy assigns one.' },
  ],
});
