import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type Database from 'better-sqlite3';
import { CwError } from '../../errors.js';
import type { AuditRow, Page, Role, UserRow } from '../api-types.js';
import { ROLES, USERNAME_PATTERN, USERNAME_RULE } from '../console-rules.js';

/** A session ends after this long without a request (seconds). */
export const SESSION_IDLE_SEC = 12 * 3600;
/** A session ends this long after its login whatever its activity (absolute lifetime, seconds: 7 days). */
export const SESSION_MAX_AGE_SEC = 7 * 86_400;
/** A session's `last_seen_ts` is rewritten at most this often (seconds), to keep reads write-free. */
const TOUCH_EVERY_SEC = 60;

/** A live session: its user and CSRF token. */
export interface Session {
  readonly username: string;
  readonly role: Role;
  readonly csrfToken: string;
}

/** One audit event to record. */
export interface AuditEvent {
  readonly username: string | null;
  readonly action: string;
  readonly detail: string;
  readonly clientIp: string;
  readonly ok: boolean;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');

/**
 * Console users, sessions and audit log in tables of the store file (`console_users`,
 * `console_sessions`, `console_audit`; the store's `clear` leaves them alone since they are not stream
 * tables). Session tokens are 32 random bytes (base64url); only their SHA-256 is stored. Each session
 * has its own CSRF token (synchronizer token pattern, OWASP CSRF cheat sheet). `now` gives seconds since
 * the epoch (injectable for tests). Errors: CwError CW_ERR_USAGE for a bad user name / role / duplicate,
 * what better-sqlite3 throws for I/O.
 */
export class AuthStore {
  constructor(
    private readonly db: Database.Database,
    private readonly now: () => number = () => Date.now() / 1000,
  ) {
    db.exec(`CREATE TABLE IF NOT EXISTS console_users (
      username TEXT PRIMARY KEY NOT NULL, role TEXT NOT NULL, password_hash TEXT NOT NULL,
      created_ts REAL NOT NULL, last_login_ts REAL)`);
    db.exec(`CREATE TABLE IF NOT EXISTS console_sessions (
      token_sha256 TEXT PRIMARY KEY NOT NULL, username TEXT NOT NULL, csrf_token TEXT NOT NULL,
      created_ts REAL NOT NULL, last_seen_ts REAL NOT NULL)`);
    db.exec(`CREATE TABLE IF NOT EXISTS console_audit (
      id INTEGER PRIMARY KEY, ts REAL NOT NULL, username TEXT, action TEXT NOT NULL, detail TEXT NOT NULL,
      client_ip TEXT NOT NULL, ok INTEGER NOT NULL)`);
    db.exec('CREATE INDEX IF NOT EXISTS console_audit_ts ON console_audit (ts)');
  }

  /** Adds a user with a password hash (auth/password.ts). @throws CwError CW_ERR_USAGE when the name is taken or invalid. */
  addUser(username: string, role: Role, passwordHash: string): void {
    checkUsername(username);
    if (!ROLES.includes(role)) throw new CwError('CW_ERR_USAGE', `role must be one of ${ROLES.join(', ')}, got ${role}`);
    const r = this.db.prepare('INSERT OR IGNORE INTO console_users (username, role, password_hash, created_ts) VALUES (?, ?, ?, ?)').run(username, role, passwordHash, this.now());
    if (r.changes === 0) throw new CwError('CW_ERR_USAGE', `user ${username} already exists`);
  }

  /** Removes a user and their sessions; false when unknown. */
  removeUser(username: string): boolean {
    return this.db.transaction(() => {
      this.db.prepare('DELETE FROM console_sessions WHERE username = ?').run(username);
      return this.db.prepare('DELETE FROM console_users WHERE username = ?').run(username).changes > 0;
    })();
  }

  /** Changes a user's role (their sessions keep going with the new role); false when unknown. */
  setRole(username: string, role: Role): boolean {
    return this.db.prepare('UPDATE console_users SET role = ? WHERE username = ?').run(role, username).changes > 0;
  }

  /** Every user, by name. */
  listUsers(): UserRow[] {
    return (this.db.prepare('SELECT username, role, created_ts, last_login_ts FROM console_users ORDER BY username').all() as UserRow[]).map((u) => ({ ...u }));
  }

  /** One user, or undefined when unknown. */
  user(username: string): UserRow | undefined {
    const u = this.db.prepare('SELECT username, role, created_ts, last_login_ts FROM console_users WHERE username = ?').get(username) as UserRow | undefined;
    return u === undefined ? undefined : { ...u };
  }

  /** Number of users. */
  userCount(): number {
    return this.db.prepare('SELECT COUNT(*) FROM console_users').pluck().get() as number;
  }

  /** Number of admins. */
  adminCount(): number {
    return this.db.prepare("SELECT COUNT(*) FROM console_users WHERE role = 'admin'").pluck().get() as number;
  }

  /** A user's role and password hash, or undefined. */
  credentials(username: string): { role: Role; passwordHash: string } | undefined {
    const r = this.db.prepare('SELECT role, password_hash FROM console_users WHERE username = ?').get(username) as { role: Role; password_hash: string } | undefined;
    return r === undefined ? undefined : { role: r.role, passwordHash: r.password_hash };
  }

  /** Starts a session for a user who just logged in: returns the cookie token (never stored) and the session. */
  createSession(username: string): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const csrf = randomBytes(32).toString('base64url');
    const now = this.now();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM console_sessions WHERE last_seen_ts < ? OR created_ts < ?').run(now - SESSION_IDLE_SEC, now - SESSION_MAX_AGE_SEC);
      this.db.prepare('INSERT INTO console_sessions (token_sha256, username, csrf_token, created_ts, last_seen_ts) VALUES (?, ?, ?, ?, ?)').run(sha256(token), username, csrf, now, now);
      this.db.prepare('UPDATE console_users SET last_login_ts = ? WHERE username = ?').run(now, username);
    })();
    const role = this.credentials(username)?.role ?? 'viewer';
    return { token, session: { username, role, csrfToken: csrf } };
  }

  /**
   * The live session of a cookie token (refreshing its idle timer), or undefined when unknown, idle
   * longer than SESSION_IDLE_SEC, or older than SESSION_MAX_AGE_SEC since its login (OWASP Session
   * Management cheat sheet: idle and absolute timeouts); an ended session is deleted.
   */
  session(token: string): Session | undefined {
    const key = sha256(token);
    const r = this.db
      .prepare('SELECT s.username AS username, u.role AS role, s.csrf_token AS csrf, s.last_seen_ts AS seen, s.created_ts AS created FROM console_sessions s JOIN console_users u ON u.username = s.username WHERE s.token_sha256 = ?')
      .get(key) as { username: string; role: Role; csrf: string; seen: number; created: number } | undefined;
    if (r === undefined) return undefined;
    const now = this.now();
    if (now - r.seen > SESSION_IDLE_SEC || now - r.created > SESSION_MAX_AGE_SEC) {
      this.db.prepare('DELETE FROM console_sessions WHERE token_sha256 = ?').run(key);
      return undefined;
    }
    if (now - r.seen > TOUCH_EVERY_SEC) this.db.prepare('UPDATE console_sessions SET last_seen_ts = ? WHERE token_sha256 = ?').run(now, key);
    return { username: r.username, role: r.role, csrfToken: r.csrf };
  }

  /** Ends a session (logout). */
  endSession(token: string): void {
    this.db.prepare('DELETE FROM console_sessions WHERE token_sha256 = ?').run(sha256(token));
  }

  /** Appends an audit row at the current time. */
  audit(e: AuditEvent): void {
    this.db.prepare('INSERT INTO console_audit (ts, username, action, detail, client_ip, ok) VALUES (?, ?, ?, ?, ?, ?)').run(this.now(), e.username, e.action, e.detail, e.clientIp, e.ok ? 1 : 0);
  }

  /** Audit rows, newest first. */
  auditPage(limit: number, offset: number): Page<AuditRow> {
    const total = this.db.prepare('SELECT COUNT(*) FROM console_audit').pluck().get() as number;
    const rows = this.db.prepare('SELECT ts, username, action, detail, client_ip, ok FROM console_audit ORDER BY ts DESC, id DESC LIMIT ? OFFSET ?').all(limit, offset) as (Omit<AuditRow, 'ok'> & { ok: number })[];
    return { total, limit, offset, items: rows.map((r) => ({ ...r, ok: r.ok === 1 })) };
  }
}

/** Constant-time equality of two strings (CSRF tokens). */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** User names: USERNAME_PATTERN (console-rules.ts). @throws CwError CW_ERR_USAGE otherwise. */
export function checkUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw new CwError('CW_ERR_USAGE', `user name must be ${USERNAME_RULE}`);
  }
}
