/**
 * Table types for Kysely. Times are epoch milliseconds (bigint in PostgreSQL, parsed to number)
 * and booleans are 0/1 integers, so the same queries run unchanged on SQLite and PostgreSQL.
 */
export interface UsersTable {
  id: string;
  /** Lower-cased username: logins are case-insensitive, display keeps the original. */
  username_key: string;
  username: string;
  display_name: string;
  password_hash: string;
  is_admin: number;
  created_at: number;
}

export interface SessionsTable {
  /** SHA-256 of the session id: a leaked database does not yield live cookies. */
  id_hash: string;
  user_id: string;
  /** Per-session CSRF token: random, so portal instances need no shared key to check it. */
  csrf_token: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface LoginThrottleTable {
  /** `account:<username_key>` or `ip:<address>`. */
  key: string;
  failures: number;
  window_started_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
}
