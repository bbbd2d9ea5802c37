/**
 * Our own declarations of the documented `window.asperaSdk` API (docs/aspera-sdk.md, SDK 0.23.5), only
 * the parts Courier uses. The npm registry does not serve `@ibm-aspera/sdk`; the bundle is loaded at
 * run time, so these types are the contract the adapter and the fake SDK are both checked against.
 */

/** §4 */
export type SdkStatus = 'INITIALIZING' | 'RETRYING' | 'RUNNING' | 'DEGRADED' | 'FAILED' | 'OUTDATED' | 'EXTENSION_INSTALL' | 'DISCONNECTED';

export type SdkTransferClient = 'desktop' | 'http-gateway' | 'connect';

/** §6 */
export type SdkTransferStatus =
  'initiating' | 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'removed' | 'orphaned' | 'paused' | 'willretry';

/** §5: the fields Courier reads or sets; the portal's spec carries the rest through untouched. */
export interface SdkTransferSpec {
  direction?: 'send' | 'receive';
  remote_host?: string;
  token?: string;
  authentication?: 'token' | 'password';
  paths?: { source: string; destination?: string }[];
  source_root?: string;
  destination_root?: string;
  title?: string;
  cookie?: string;
  tags?: { aspera?: { 'http-gateway'?: { expected_size?: number } }; courier?: { transfer_id?: string }; [key: string]: unknown };
  zip_required?: boolean;
  download_name?: string;
  [key: string]: unknown;
}

/** §5 */
export interface AsperaSdkSpec {
  use_absolute_destination_path?: boolean;
  allow_dialogs?: boolean;
  http_gateway_override_server_url?: string;
  http_gateway_authentication?: { access_key: string; token: string };
  disableAutoDownload?: boolean;
}

/** §6 */
export interface AsperaSdkTransfer {
  uuid: string;
  transfer_spec: SdkTransferSpec;
  add_time: string;
  end_time: string;
  current_file: string;
  file_counts: { attempted: number; completed: number; failed: number; skipped: number };
  explorer_path: string;
  status: SdkTransferStatus;
  previous_status: SdkTransferStatus;
  error_code?: number;
  error_desc?: string;
  bytes_written: number;
  bytes_expected: number;
  /** Fraction 0..1, not 0..100; can be NaN/Infinity/>1 for gateway downloads (§6). */
  percentage: number;
  calculated_rate_kbps: number;
  elapsed_usec: number;
  remaining_usec: number;
  title: string;
  transfer_client: SdkTransferClient;
  httpGatewayTransfer?: boolean;
  httpRequestId?: string | null;
  httpDownloadExternalHandle?: boolean;
  httpDownloadUrl?: string;
}

/** §9: Desktop only. */
export interface FileStat {
  file: string;
  bytes_written: number;
  bytes_expected: number;
  elapsed_usec: number;
  status: 'failed' | 'skipped' | 'finished' | 'running';
  error?: { code: number; description: string };
}
export interface FilesList {
  entries: FileStat[];
  total_count: number;
  limit: number;
  offset: number;
}

/** §7 */
export interface TransferResponse {
  transfers: AsperaSdkTransfer[];
}

/** §3 */
export interface InitOptions {
  appId?: string;
  supportMultipleUsers?: boolean;
  retryTimeout?: number;
  retryInterval?: number;
  httpGatewaySettings?: { url: string; forceGateway: boolean };
  connectSettings?: { useConnect: boolean; fallback?: boolean; hideIncludedInstaller?: boolean };
}

/** §10 */
export interface FileDialogOptions {
  title?: string;
  multiple?: boolean;
  filters?: { name: string; extensions: string[] }[];
}
export interface FolderDialogOptions {
  title?: string;
  multiple?: boolean;
}
export interface BrowserStyleFile {
  /** Desktop: the absolute local path of the file or folder. */
  name: string;
  size: number;
  type: string;
  lastModified: number;
}
export interface DataTransferResponse {
  dataTransfer: { files: BrowserStyleFile[] };
}

/** §11 */
export interface InstallerEntry {
  platform: 'macos' | 'windows' | 'linux';
  arch: string;
  type: string;
  url: string;
  version: string;
}
export interface InstallerInfo {
  entries: InstallerEntry[];
}

/** `window.asperaSdk`: own properties of the singleton (§1). */
export interface AsperaSdkGlobal {
  initSession(options?: InitOptions): void;
  registerStatusCallback(callback: (status: SdkStatus) => void): string;
  deregisterStatusCallback(id: string): void;
  getStatus(): SdkStatus | undefined;
  registerActivityCallback(callback: (response: TransferResponse) => void): string;
  deregisterActivityCallback(id: string): void;
  startTransfer(transferSpec: SdkTransferSpec, asperaSdkSpec?: AsperaSdkSpec): Promise<AsperaSdkTransfer>;
  stopTransfer(id: string): Promise<unknown>;
  resumeTransfer(id: string, options?: { token?: string }): Promise<AsperaSdkTransfer>;
  removeTransfer(id: string): Promise<unknown>;
  getAllTransfers(): Promise<AsperaSdkTransfer[]>;
  getTransfer(id: string): Promise<AsperaSdkTransfer>;
  getFilesList(id: string, options?: { limit?: number; offset?: number }): Promise<FilesList>;
  currentTransferClient(): SdkTransferClient | undefined;
  showSelectFileDialog(options?: FileDialogOptions): Promise<DataTransferResponse>;
  showSelectFolderDialog(options?: FolderDialogOptions): Promise<DataTransferResponse>;
  getInstallerInfo(options?: { endpoint?: string; all?: true }): Promise<InstallerInfo>;
  launch(): void;
  /** §11: `globals.launch` keeps its `this`, so its error fallback works; `launch` is an unbound copy. */
  globals?: { launch?: () => void };
}
