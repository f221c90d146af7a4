import type { FastifyInstance } from 'fastify';

/** Header names @fastify/helmet sets on every answer (helmet 8 defaults plus CSP and HSTS as configured in app.ts). */
const HELMET_HEADERS = [
  'content-security-policy',
  'cross-origin-opener-policy',
  'cross-origin-resource-policy',
  'origin-agent-cluster',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'x-dns-prefetch-control',
  'x-download-options',
  'x-frame-options',
  'x-permitted-cross-domain-policies',
  'x-xss-protection',
] as const;

/**
 * The security headers of the console's answers, for the answers written before or outside Fastify's
 * hooks (early-errors.ts: bad URLs, oversized headers). Empty until `capture` ran; then lower-case
 * header name → value, as helmet wrote them on a probe answer.
 */
export class SecurityHeaders {
  private headers: Readonly<Record<string, string>> = {};

  /** The captured headers (empty before `capture`). */
  get all(): Readonly<Record<string, string>> {
    return this.headers;
  }

  /**
   * Records the helmet headers of a `GET /api/health` answer injected into the ready `app` (no socket;
   * from the unspecified address 0.0.0.0, which no client has, so no client's rate budget is touched).
   */
  async capture(app: FastifyInstance): Promise<void> {
    const r = await app.inject({ method: 'GET', url: '/api/health', remoteAddress: '0.0.0.0' });
    const out: Record<string, string> = {};
    for (const name of HELMET_HEADERS) {
      const v = r.headers[name];
      if (typeof v === 'string') out[name] = v;
    }
    this.headers = out;
  }
}

/** True when a request path (raw URL, query included or not) addresses the API: `/api` or below it. */
function isApiPath(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
}

/**
 * `Cache-Control: no-store` (RFC 9111 §5.2.2.5) on every answer to an `/api` request — matched route or
 * raw URL — so no browser or proxy keeps session-bound data.
 */
export function installNoStore(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (isApiPath(req.url) || (req.routeOptions.url ?? '').startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
