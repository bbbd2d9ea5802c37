/**
 * A gateway transfer as the node keeps it, and its rendering in the official transfer object shape
 * (docs/node-api.md §5, OAS `transferResponseSessionSpec`): times in microseconds since the epoch.
 */
export type TransferStatus = 'running' | 'completed' | 'failed' | 'canceled';

export interface TransferFile {
  path: string;
  size: number;
  bytesWritten: number;
  status: 'transferring' | 'completed' | 'failed';
  startUsec: number;
  endUsec: number;
}

export interface TransferRecord {
  id: string;
  status: TransferStatus;
  /** Client view, as in the transfer spec: `send` = upload to this node. */
  direction: 'send' | 'receive';
  remoteHost: string;
  remoteUser: string;
  clientIp: string;
  sourcePaths: string[];
  destinationPath: string;
  tags: unknown;
  cookie: string | null;
  /** The access key the transfer was set up under (docs/node-api.md §6.4); absent for the node user. */
  accessKey?: string;
  startUsec: number;
  endUsec: number;
  bytesExpected: number;
  bytesTransferred: number;
  filesExpected: number;
  filesCompleted: number;
  filesFailed: number;
  errorCode: number;
  errorDesc: string;
  files: TransferFile[];
}

// Keeps one record's JSON bounded for a zip of a huge folder (OAS `max_items` plays this role).
export const MAX_FILES_PER_RECORD = 1000;

export function nowUsec(): number {
  return Date.now() * 1000;
}

export function isActive(status: TransferStatus): boolean {
  return status === 'running';
}

export function toTransferObject(r: TransferRecord, serverIp: string) {
  const end = r.endUsec || nowUsec();
  const elapsed = Math.max(0, end - r.startUsec);
  const avgRateKbps = elapsed > 0 ? Math.round(((r.bytesTransferred * 8) / 1000 / (elapsed / 1e6)) * 100) / 100 : 0;
  const sessionStatus = r.status === 'running' ? 'running' : r.status === 'completed' ? 'completed' : 'failed';
  const common = {
    start_time_usec: r.startUsec,
    end_time_usec: r.endUsec,
    elapsed_usec: elapsed,
    bytes_transferred: r.bytesTransferred,
    bytes_written: r.bytesTransferred,
    bytes_lost: 0,
    avg_rate_kbps: avgRateKbps,
    files_completed: r.filesCompleted,
    directories_completed: 0,
    error_code: r.errorCode,
    error_desc: r.errorDesc,
  };
  return {
    id: r.id,
    status: r.status,
    start_spec: {
      direction: r.direction,
      remote_host: r.remoteHost,
      remote_user: r.remoteUser,
      source_paths: r.sourcePaths,
      destination_path: r.destinationPath,
      tags: r.tags ?? null,
      cookie: r.cookie,
      token_type: 'auth_token',
      endpoint: 'server',
      http_gateway: true,
    },
    sessions: [
      {
        id: r.id,
        status: sessionStatus,
        client_ip_address: r.clientIp,
        server_ip_address: serverIp,
        retry_count: 0,
        stalled: false,
        ...common,
      },
    ],
    ...common,
    files_skipped: 0,
    precalc: {
      enabled: true,
      status: r.status === 'running' && r.direction === 'send' ? 'computing' : 'ready',
      bytes_expected: r.bytesExpected,
      files_expected: r.filesExpected,
      directories_expected: 0,
      files_special: 0,
      files_failed: r.filesFailed,
    },
    files: r.files.map((f, i) => ({
      id: `${r.id}-${i}`,
      path: f.path,
      status: f.status,
      size: f.size,
      start_byte: 0,
      bytes_written: f.bytesWritten,
      start_time_usec: f.startUsec,
      end_time_usec: f.endUsec,
      elapsed_usec: Math.max(0, (f.endUsec || nowUsec()) - f.startUsec),
      error_code: f.status === 'failed' ? r.errorCode : 0,
      error_desc: f.status === 'failed' ? r.errorDesc : '',
      type: 'file',
      session_id: r.id,
    })),
  };
}
