import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from './api-types.js';
import type { SecurityHeaders } from './response-headers.js';

/**
 * Fastify's `frameworkErrors` option: answers the router's own early failures (FST_ERR_BAD_URL for a
 * path that is not valid percent-encoding, RFC 3986 §2.1 — `GET /%`; FST_ERR_MAX_PARAM_LENGTH;
 * FST_ERR_ASYNC_CONSTRAINT) 400 with the ApiError shape, the security headers and `Cache-Control:
 * no-store`. No hook has run for these requests, so the headers are set here.
 */
export function frameworkErrorHandler(security: SecurityHeaders): (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => void {
  return (err, _req, reply) => {
    const body: ApiError = {
      error: 'bad_request',
      message: err.code === 'FST_ERR_BAD_URL' ? 'the URL is not valid (malformed percent-encoding)' : 'the request could not be routed',
    };
    reply.headers(security.all).header('cache-control', 'no-store').code(400).send(body);
  };
}

/**
 * Fastify's `clientErrorHandler` option (Node's `clientError` event, before any request exists):
 * writes a raw HTTP/1.1 answer with the ApiError shape and the security headers, then closes the
 * socket — 431 `header_too_large` for headers over Node's limit (HPE_HEADER_OVERFLOW, RFC 6585 §5),
 * 408 `timeout` for ERR_HTTP_REQUEST_TIMEOUT, 400 `bad_request` otherwise. Nothing is written to a
 * reset or unwritable socket.
 */
export function clientErrorHandler(security: SecurityHeaders): (err: NodeJS.ErrnoException, socket: Socket) => void {
  return (err, socket) => {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    let status = 400;
    let body: ApiError = { error: 'bad_request', message: 'malformed HTTP request' };
    if (err.code === 'HPE_HEADER_OVERFLOW') {
      status = 431;
      body = { error: 'header_too_large', message: 'the request headers are larger than the server accepts' };
    } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      status = 408;
      body = { error: 'timeout', message: 'the request was not received in time' };
    }
    if (socket.writable) {
      const text = JSON.stringify(body);
      let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nCache-Control: no-store\r\nConnection: close\r\n`;
      for (const [name, value] of Object.entries(security.all)) head += `${name}: ${value}\r\n`;
      socket.write(`${head}\r\n${text}`);
    }
    socket.destroy();
  };
}
