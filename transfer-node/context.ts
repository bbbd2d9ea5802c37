/** The services and settings the routes share; built once in index.ts and passed to the app plugin. */
import type { AccessKeys } from './access/access-keys';
import type { FileIds } from './access/file-ids';
import type { Permissions } from './access/permissions';
import type { NodeLimits } from './limits';
import type { SendTuning } from './ops/session-client';
import type { AuthThrottle } from './node-api/auth-throttle';
import type { FileService } from './storage/file-service';
import type { UploadWriter } from './storage/upload-writer';
import type { SealedBox } from './tokens/sealed-box';
import type { TransferTokens } from './tokens/transfer-token';
import type { TransferStore } from './transfers/transfer-store';
import type { UploadGrants } from './transfers/upload-grants';

export interface NodeSettings {
  nodeId: string;
  transferUser: string;
  nodeUser: string;
  nodePassword: string;
  tokenLifeSeconds: number;
  /** Host name put in `remote_host` of transfer specs: the public URL's host. */
  remoteHost: string;
  publicUrl: string;
  gatewayUrl: string;
  corsOrigins: readonly string[];
  /**
   * The prefix of nginx's internal location on the docroot, when the node runs behind nginx and
   * hands single-file signed-URL downloads to it (docs/http-gateway.md §5.4); null otherwise.
   */
  accelRedirect: string | null;
  /** The node's own state (secrets, records, the upload sessions it has open elsewhere). */
  stateDir: string;
}

export interface NodeContext {
  settings: NodeSettings;
  files: FileService;
  uploads: UploadWriter;
  tokens: TransferTokens;
  /** Seals presigned download URLs (a different purpose than transfer tokens, same node key). */
  presign: SealedBox;
  transfers: TransferStore;
  /** What each upload token may write, and whether it was spent. */
  grants: UploadGrants;
  limits: NodeLimits;
  /** Wrong Node API credentials per client IP. */
  authThrottle: AuthThrottle;
  accessKeys: AccessKeys;
  /** Stable ids of docroot paths, for the id API of access keys and bearer tokens. */
  fileIds: FileIds;
  permissions: Permissions;
  /** Parts and retries of a node-to-node send over upload sessions (docs/node-api.md §5.1). */
  send: SendTuning;
}
