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
  /** Set when deleted with their transfer history kept: no login, listed nowhere (migration 0014). */
  deleted_at: ColumnType<number | null, number | null | undefined, number | null>;
  /** 1: the password was set by an admin and must be changed before anything else (migration 0014). */
  must_change_password: ColumnType<number, number | undefined, number>;
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
  /** `node_user` (Basic with the node user) or `access_key` (Basic with a key id and secret, jailed to its storage; migration 0016). */
  auth_type: ColumnType<'node_user' | 'access_key', 'node_user' | 'access_key' | undefined, 'node_user' | 'access_key'>;
  is_default: number;
  created_at: number;
  /** Where the node keeps packages (migration 0015); null: none, except the embedded node's /packages. */
  packages_root?: string | null;
  /** A3 (migration 0020): the portal's private key that signs bearer tokens for this node, sealed; null without A3. */
  token_key_sealed?: string | null;
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
  /** Null for a package's transfer, which belongs to no space (migration 0015). */
  space_id: string | null;
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
  /** The file request a guest's upload answers (migration 0011); null for everything else. */
  request_id?: string | null;
  /** The share link that authorized this download (docs/sharing.md §5); null for everything else. */
  share_id?: string | null;
  /** A Copy or Move between spaces started on the source node (migration 0017); null for everything else. */
  operation?: 'copy' | 'move' | null;
  /** With `operation`: the space the items came from (`paths_json` names them there). */
  source_space_id?: string | null;
  /** A Move's originals were deleted then, after the destination reported the copy complete. */
  source_removed_at?: number | null;
  /** The package this transfer uploads or downloads (docs/packages.md §1); null for everything else. */
  package_id?: string | null;
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

/** A file request: an upload link for people without an account (migration 0011). */
export interface FileRequestsTable {
  /** 144 random bits, base64url: the link's only secret besides its password. */
  id: string;
  user_id: string;
  space_id: string;
  /** Space folder the submissions land in. */
  folder: string;
  title: string;
  message: string;
  deadline: number;
  password_hash: string | null;
  max_bytes: number | null;
  max_files: number | null;
  require_identity: number;
  closed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface RequestSubmissionsTable {
  id: string;
  request_id: string;
  transfer_id: string;
  /** Space path of the submission's own subfolder. */
  folder: string;
  uploader_name: string | null;
  uploader_email: string | null;
  file_count: number;
  bytes: number;
  names_json: string;
  source_ip: string | null;
  created_at: number;
  /** Set once, when the node reports the upload complete (the requester is told then). */
  completed_at: number | null;
}

/** An in-app notification: one row per notice for a logged-in user (the bell). */
export interface NotificationsTable {
  id: string;
  user_id: string;
  /** What happened: `share.downloaded`, `request.submitted`, … */
  kind: string;
  subject: string;
  text: string;
  /** A path in the SPA or an absolute URL; null: nothing to open. */
  link: string | null;
  created_at: number;
  /** Null while unread. */
  read_at: number | null;
}

/**
 * The mail queue (migration 0009). `sending` is a lease: a worker that claimed the row sets
 * next_attempt_at to when its claim lapses, so a row left by a stopped portal is sent again.
 */
export interface MailOutboxTable {
  id: string;
  to_address: string;
  kind: string;
  subject: string;
  text: string;
  link: string | null;
  status: 'queued' | 'sending' | 'sent' | 'failed';
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface SharesTable {
  id: string;
  owner_user_id: string;
  space_id: string;
  paths_json: string;
  note: string;
  notify: 'never' | 'first' | 'every';
  password_hash: string | null;
  max_downloads: number | null;
  /** Completed downloads counted against the limit. */
  downloads: number;
  created_at: number;
  updated_at: number;
  expires_at: number | null;
  revoked_at: number | null;
}

export interface ShareDownloadsTable {
  transfer_id: string;
  share_id: string;
  paths_json: string;
  source_address: string;
  user_agent: string | null;
  created_at: number;
  counted_at: number | null;
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
  file_requests: FileRequestsTable;
  request_submissions: RequestSubmissionsTable;
  notifications: NotificationsTable;
  mail_outbox: MailOutboxTable;
  shares: SharesTable;
  share_downloads: ShareDownloadsTable;
  packages: PackagesTable;
  package_recipients: PackageRecipientsTable;
  leases: LeasesTable;
  package_downloads: PackageDownloadsTable;
  idempotency_keys: IdempotencyKeysTable;
}

/** A request's Idempotency-Key (migration 0021, docs/api.md §8). */
export interface IdempotencyKeysTable {
  user_id: string;
  operation: string;
  key: string;
  fingerprint: string;
  transfer_id: string;
  created_at: number;
  claimed_at: number;
}

/** Who runs a kind of once-only work, until when (docs/deployment.md §3). */
export interface LeasesTable {
  name: string;
  /** The instance's id, random per process. */
  holder: string;
  expires_at: number;
  /** When this holder took it (kept across renewals): how long it has held it. */
  acquired_at: number;
}

/** A package (docs/packages.md §1). */
export interface PackagesTable {
  id: string;
  sender_user_id: string;
  node_id: string;
  node_path: string;
  subject: string;
  message: string;
  /** The declared files: `[{ path, size }]`, paths relative to the package's folder. */
  files_json: string;
  file_count: number;
  bytes: number;
  notify_on_download: number;
  private_recipients: number;
  status: 'uploading' | 'ready' | 'failed' | 'expired' | 'deleted';
  upload_transfer_id: string;
  created_at: number;
  updated_at: number;
  ready_at: number | null;
  expires_at: number;
  sender_archived_at: number | null;
  /** The expiry pass's claim (docs/packages.md §4): another instance leaves the package alone until then. */
  expiry_lease_until?: number | null;
  /** External recipients give a one-time code sent by email before downloading (docs/packages.md §7). */
  require_code?: number;
}

/** A recipient of a package and their receipt (docs/packages.md §1). */
export interface PackageRecipientsTable {
  id: string;
  package_id: string;
  user_id: string | null;
  email: string | null;
  via_group_id: string | null;
  opened_at: number | null;
  archived_at: number | null;
  notified_at: number | null;
  /** An external recipient's personal link: the SHA-256 of its secret (docs/packages.md §7). */
  link_hash?: string | null;
  code_hash?: string | null;
  code_expires_at?: number | null;
  code_attempts?: number;
  code_sent_at?: number | null;
}

/** A download through an external recipient's personal link, so the receipt names who (docs/packages.md §7). */
export interface PackageDownloadsTable {
  transfer_id: string;
  package_id: string;
  recipient_id: string;
  source_address: string | null;
  created_at: number;
}
