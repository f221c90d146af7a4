import { existsSync } from 'node:fs';
import { CwError } from '../errors.js';
import { readSiteFile } from '../policy/site-file.js';
import { buildApp, DEFAULT_RATE_PER_MINUTE, DEFAULT_UPLOAD_LIMIT_BYTES, readTlsFiles } from '../server/app.js';
import { ExitCode } from './exit-codes.js';

/** Options of `cranewatch serve` (command-line flags, see main.ts). */
export interface ServeCommandOptions {
  /** The CraneWatch store to serve (written by `cranewatch analyze --db`). */
  db: string;
  /** Site file used when analyzing uploaded captures. */
  site?: string;
  /** Listen address (default 127.0.0.1). */
  host?: string;
  /** TCP port, 0–65535 (default 8080; 0 picks a free one). */
  port?: string;
  /** PEM certificate and private key files: serve HTTPS. Both or neither. */
  tlsCert?: string;
  tlsKey?: string;
  /** Largest upload in MiB (default 2048). */
  maxUploadMb?: string;
  /** Requests per minute and client address over all routes (default DEFAULT_RATE_PER_MINUTE); login keeps its own 10 per minute. */
  ratePerMinute?: string;
  /** Folder of the built dashboard (default dist/web of the installed package). */
  web?: string;
}

/**
 * `cranewatch serve --db FILE`: serve the console (HTTP API + dashboard) on host:port, print its
 * address, and run until SIGINT / SIGTERM. The server only listens; it never transmits on the
 * monitored network. Warns on stderr when the store has no console users.
 * Resolves with the exit code when the server stops.
 * @throws CwError CW_ERR_USAGE for a bad port / TLS pair, a port in use or an address it cannot listen on, CW_ERR_NOT_FOUND / CW_ERR_READ for a --db that is
 *   missing or not a CraneWatch store, or a site / certificate file that cannot be read; CW_ERR_CONFIG for a
 *   site file that is not valid.
 */
export async function runServe(opts: ServeCommandOptions): Promise<number> {
  const port = opts.port === undefined ? 8080 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CwError('CW_ERR_USAGE', `--port: expected an integer 0-65535, got ${opts.port}`);
  if ((opts.tlsCert === undefined) !== (opts.tlsKey === undefined)) throw new CwError('CW_ERR_USAGE', '--tls-cert and --tls-key go together');
  const maxMb = opts.maxUploadMb === undefined ? DEFAULT_UPLOAD_LIMIT_BYTES / 2 ** 20 : Number(opts.maxUploadMb);
  if (!Number.isInteger(maxMb) || maxMb < 1) throw new CwError('CW_ERR_USAGE', `--max-upload-mb: expected a positive integer, got ${opts.maxUploadMb}`);
  const rate = opts.ratePerMinute === undefined ? DEFAULT_RATE_PER_MINUTE : Number(opts.ratePerMinute);
  if (!Number.isInteger(rate) || rate < 1) throw new CwError('CW_ERR_USAGE', `--rate-per-minute: expected a positive integer, got ${opts.ratePerMinute}`);
  if (opts.site !== undefined) {
    if (!existsSync(opts.site)) throw new CwError('CW_ERR_NOT_FOUND', `--site ${opts.site} does not exist`);
    readSiteFile(opts.site); // a site file in error stops the start (CW_ERR_CONFIG naming the field), not the first upload
  }
  let tls: { cert: Buffer; key: Buffer } | undefined;
  if (opts.tlsCert !== undefined && opts.tlsKey !== undefined) {
    try {
      tls = readTlsFiles(opts.tlsCert, opts.tlsKey);
    } catch (e) {
      throw new CwError('CW_ERR_READ', `cannot read the TLS certificate or key: ${(e as Error).message}`);
    }
  }
  const { app, ctx } = await buildApp({ db: opts.db, site: opts.site, tls, staticDir: opts.web, uploadLimitBytes: maxMb * 2 ** 20, ratePerMinute: rate });
  if (ctx.auth.userCount() === 0) {
    process.stderr.write(`cranewatch: warning: ${opts.db} has no console users; create one with cranewatch user add <name> --role admin --db ${opts.db}\n`);
  }
  const host = opts.host ?? '127.0.0.1';
  let address: string;
  try {
    address = await app.listen({ host, port });
  } catch (e) {
    await app.close();
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CwError('CW_ERR_USAGE', `--port ${port}: ${host}:${port} is already in use; choose another port with --port`);
    if (code === 'EACCES' || code === 'EADDRNOTAVAIL') throw new CwError('CW_ERR_USAGE', `--host ${host} --port ${port}: cannot listen there (${code})`);
    throw e;
  }
  process.stdout.write(`CraneWatch console: ${address}\n`);
  await new Promise<void>((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await app.close();
  return ExitCode.OK;
}
