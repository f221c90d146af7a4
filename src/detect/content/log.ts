import { defineStream, type StreamSchema } from '../../events/schema.js';

/** Numbers listed per `container_data` record (the `count` field gives all). */
export const CONTAINER_DATA_LISTED = 16;

/**
 * Internal stream (never logged) of the container-data tap's first find per flow, direction and
 * encoding, with the `container_data` fields as they stand at that moment: the detectors act on it
 * while the flow is still open, long before the flow's `container_data` record (written at its end).
 */
export const CONTAINER_DATA_FOUND_STREAM = 'container_data_found';

/**
 * The `container_data` log: ISO 6346 container numbers seen in a flow whose responder is not an
 * approved container-data destination — one record per flow, direction and encoding, written when
 * the flow ends (per client and domain, at the end of the run, for DNS tunnels). Connection fields
 * follow Zeek's conn.log (`uid`, `id.*`, `proto`); the rest are CraneWatch's.
 */
export const CONTAINER_DATA_SCHEMA: StreamSchema = defineStream({
  name: 'container_data',
  doc: 'Container numbers leaving by a flow that is not an approved container-data conduit (one record per flow, direction and encoding).',
  key: ['uid', 'direction', 'encoding'],
  fields: [
    { name: 'ts', type: 'time', doc: 'first number found, seconds since the epoch' },
    { name: 'uid', type: 'string', doc: 'flow uid, as in conn (the first query flow of a DNS tunnel)' },
    { name: 'id.orig_h', type: 'addr', doc: 'originator address' },
    { name: 'id.orig_p', type: 'port', doc: 'originator port' },
    { name: 'id.resp_h', type: 'addr', doc: 'responder address' },
    { name: 'id.resp_p', type: 'port', doc: 'responder port' },
    { name: 'proto', type: 'enum', doc: 'transport protocol (tcp, udp)' },
    { name: 'direction', type: 'enum', doc: 'orig: the originator sent the numbers; resp: the responder did' },
    { name: 'encoding', type: 'string', doc: 'how they were written: plain, base64, hex, gzip, nested (gzip+base64 …) or tunnelled (dns-base32 …)' },
    { name: 'channel', type: 'enum', doc: 'application protocol guessed from the first bytes: http, mqtt, dns, tls or unknown' },
    { name: 'count', type: 'count', doc: 'distinct container numbers (check digit valid)' },
    { name: 'numbers', type: 'vector[string]', doc: 'the first 16 of them, in the order found' },
    { name: 'bytes_scanned', type: 'count', doc: 'bytes of the direction searched (decoded bytes for a DNS tunnel)' },
  ],
});
