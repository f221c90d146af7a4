import { CwError } from '../errors.js';
import type { Role } from '../server/api-types.js';
import { AuthStore, checkUsername } from '../server/auth/auth-store.js';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, ROLES } from '../server/console-rules.js';
import { hashPassword } from '../server/auth/password.js';
import { checkStoreFile, openWriteConnection } from '../server/store-file.js';
import { ExitCode } from './exit-codes.js';


/**
 * Reads the first line of `input` (the password; never taken from argv), without its line end.
 * @throws CwError CW_ERR_USAGE when standard input ends empty or the line is longer than 1024 bytes.
 */
export async function readPasswordLine(input: NodeJS.ReadableStream): Promise<string> {
  let buf = '';
  for await (const chunk of input) {
    buf += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const nl = buf.indexOf('\n');
    if (nl >= 0) {
      buf = buf.slice(0, nl);
      break;
    }
    if (buf.length > MAX_PASSWORD_LENGTH) break;
  }
  const line = buf.replace(/\r$/, '');
  if (line.length > MAX_PASSWORD_LENGTH) throw new CwError('CW_ERR_USAGE', `password: at most ${MAX_PASSWORD_LENGTH} characters`);
  if (line === '') throw new CwError('CW_ERR_USAGE', 'password: expected one line on standard input (e.g. printf "%s\\n" "$PW" | cranewatch user add ...)');
  return line;
}

function withStore<T>(db: string, f: (auth: AuthStore) => T): T {
  checkStoreFile(db);
  const conn = openWriteConnection(db);
  try {
    return f(new AuthStore(conn));
  } finally {
    conn.close();
  }
}

/**
 * `cranewatch user add <name> --role R --db FILE`: reads the password from standard input (a line) and
 * adds the console user with an scrypt hash. Exit 0, or CwError CW_ERR_USAGE (bad name / role / short
 * password / existing user), CW_ERR_NOT_FOUND / CW_ERR_READ (not a CraneWatch store).
 */
export async function runUserAdd(name: string, opts: { role: string; db: string }, input: NodeJS.ReadableStream = process.stdin): Promise<number> {
  checkUsername(name);
  if (!ROLES.includes(opts.role as Role)) throw new CwError('CW_ERR_USAGE', `--role: expected one of ${ROLES.join(', ')}, got ${opts.role}`);
  checkStoreFile(opts.db);
  const password = await readPasswordLine(input);
  if (password.length < MIN_PASSWORD_LENGTH) throw new CwError('CW_ERR_USAGE', `password: at least ${MIN_PASSWORD_LENGTH} characters`);
  const hash = await hashPassword(password);
  withStore(opts.db, (auth) => {
    auth.addUser(name, opts.role as Role, hash);
    auth.audit({ username: null, action: 'user.add', detail: `${name} as ${opts.role} (command line)`, clientIp: 'local', ok: true });
  });
  process.stdout.write(`added ${opts.role} ${name}\n`);
  return ExitCode.OK;
}

/** `cranewatch user list --db FILE [--json]`: the console users, one per line (name, role, created, last login). */
export function runUserList(opts: { db: string; json?: boolean }): number {
  const users = withStore(opts.db, (auth) => auth.listUsers());
  if (opts.json === true) process.stdout.write(JSON.stringify(users, null, 2) + '\n');
  else {
    const iso = (t: number | null): string => (t === null ? '-' : new Date(t * 1000).toISOString());
    for (const u of users) process.stdout.write(`${u.username}\t${u.role}\tcreated ${iso(u.created_ts)}\tlast login ${iso(u.last_login_ts)}\n`);
  }
  return ExitCode.OK;
}

/** `cranewatch user remove <name> --db FILE`: removes the user and their sessions. @throws CwError CW_ERR_USAGE when unknown. */
export function runUserRemove(name: string, opts: { db: string }): number {
  const removed = withStore(opts.db, (auth) => {
    const ok = auth.removeUser(name);
    if (ok) auth.audit({ username: null, action: 'user.remove', detail: `${name} (command line)`, clientIp: 'local', ok: true });
    return ok;
  });
  if (!removed) throw new CwError('CW_ERR_USAGE', `no user ${name}`);
  process.stdout.write(`removed ${name}\n`);
  return ExitCode.OK;
}
