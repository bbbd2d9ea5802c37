import type { ColumnType } from 'kysely';

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
  /** Optional contact address, set by an admin. */
  email: ColumnType<string | null, string | null | undefined, string | null>;
  /** 1: no login and no session (migration 0006). */
  disabled: ColumnType<number, number | undefined, number>;
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
  /** `account:<username_key>`, `ip:<address>` or `account-ip:<username_key>|<address>`. */
  key: string;
  /** Attempts reserved in the window: taken before the password is checked, given back on success. */
  failures: number;
  window_started_at: number;
  /** No attempt for this key before this time (the progressive delay). */
  not_before: number;
}

export interface NodesTable {
  id: string;
  name: string;
  /** Node API base URL, e.g. https://hsts.example.com:9092 */
  url: string;
  /** Node API user or access key id. */
  username: string;
  /** Password or access-key secret, sealed with the portal's secret key (AES-256-GCM). */
  secret_sealed: string;
  gateway_url: string | null;
  verify_tls: number;
  /** `embedded` (Courier's own node: HTTP Gateway only) or `hsts` (a real Aspera server: also Desktop). */
  kind: 'embedded' | 'hsts';
  is_default: number;
  created_at: number;
}

export interface GroupsTable {
  id: string;
  name_key: string;
  name: string;
  created_at: number;
}

export interface GroupMembersTable {
  group_id: string;
  user_id: string;
}

export interface SpacesTable {
  id: string;
  name: string;
  node_id: string;
  /** Folder on the node (absolute node path, e.g. /spaces/finance) that is the space's root. */
  root_path: string;
  /**
   * spaceRootKey(root_path), unique per node so no two spaces get one folder. Null only where
   * migration 0004 found the folder already held by an older space (see /api/admin/space-conflicts).
   */
  root_key: string | null;
  /** Set for a personal space. */
  owner_user_id: string | null;
  created_at: number;
}

export interface SpaceMembersTable {
  space_id: string;
  principal_type: 'user' | 'group';
  principal_id: string;
  role: 'viewer' | 'contributor' | 'manager';
}

export interface TransfersTable {
  id: string;
  user_id: string;
  space_id: string;
  node_id: string;
  direction: 'upload' | 'download';
  title: string;
  /** Space-relative folder: destination of an upload, common parent of a download. */
  folder: string;
  paths_json: string;
  file_count: number;
  bytes_expected: number | null;
  bytes_transferred: number;
  client: string | null;
  status: 'authorized' | 'running' | 'completed' | 'failed' | 'cancelled';
  node_transfer_id: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  ended_at: number | null;
}

export interface NodeCursorsTable {
  node_id: string;
  iteration_token: string | null;
  updated_at: number;
}

export interface AuditLogTable {
  id: string;
  at: number;
  user_id: string | null;
  action: string;
  space_id: string | null;
  target: string | null;
  decision: 'allow' | 'deny';
  reason: string | null;
}

export interface RuntimeSettingsTable {
  key: string;
  value: string;
  updated_at: number;
  updated_by: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the whole token string: the secret itself is shown once and never stored. */
  secret_hash: string;
  /** Comma-separated TokenScope values (contract/api-tokens.ts). */
  scopes: string;
  created_at: number;
  expires_at: number;
  /** Written at most once a minute (docs/api-tokens.md §4). */
  last_used_at: number | null;
}

export interface OidcIdentitiesTable {
  issuer: string;
  sub: string;
  user_id: string;
  created_at: number;
  last_sign_in_at: number;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  login_throttle: LoginThrottleTable;
  nodes: NodesTable;
  groups: GroupsTable;
  group_members: GroupMembersTable;
  spaces: SpacesTable;
  space_members: SpaceMembersTable;
  transfers: TransfersTable;
  node_cursors: NodeCursorsTable;
  audit_log: AuditLogTable;
  runtime_settings: RuntimeSettingsTable;
  api_tokens: ApiTokensTable;
  oidc_identities: OidcIdentitiesTable;
}
