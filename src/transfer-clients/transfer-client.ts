/**
 * The one port through which the SPA moves bytes (docs/architecture.md §2): the rest of the SPA never knows
 * whether Courier's own HTTP Gateway v3 client or the IBM Aspera SDK (Desktop) carries a transfer.
 * Adapters live beside this file; only this folder may know the SDK or the gateway protocol.
 */

/**
 * A transfer's live status as a client reports it; the portal's record has its own set
 * (`TransferRecordStatus` in contract/). Closed union (docs/architecture.md §5.2): every adapter maps onto these.
 */
export type TransferClientStatus = 'queued' | 'starting' | 'running' | 'paused' | 'failed' | 'completed' | 'cancelled';

export type TransferClientKind = 'http-gateway' | 'desktop';

export interface FileProgress {
  path: string;
  status: 'queued' | 'running' | 'completed' | 'failed' | 'skipped';
  bytesDone: number;
  bytesTotal: number | null;
  error?: string;
}

/** One change of one transfer, as the adapter saw it; already copied (never an SDK-owned object). */
export interface TransferClientEvent {
  /** The portal's transfer id (from `POST /api/transfers`). */
  transferId: string;
  status: TransferClientStatus;
  bytesDone: number;
  /** Null while unknown (an indeterminate bar, not a wrong one). */
  bytesTotal: number | null;
  /** Set when `status` is `failed`: something a person can act on. */
  error?: { code: string; message: string };
  /**
   * Per-file status, when it changed (`capabilities.perFileProgress`): the gateway sends it as each
   * file of an upload is sent and at the end, and the paths asked for of a download; Desktop its
   * own per-file list when a transfer ends. Absent: no change since the last event that had it.
   */
  files?: FileProgress[];
  /** The browser's download manager took over (presigned download): no more byte progress here. */
  handedToBrowser?: boolean;
}

/** A file the browser can read, with its path relative to the drop or pick (folders kept). */
export interface UploadSource {
  file: File;
  /** `Folder/sub/name.txt` for a dropped tree, `name.txt` for a single file. */
  path: string;
}

export interface StartRequest {
  transferId: string;
  direction: 'upload' | 'download';
  /** The spec from `POST /api/transfers`, as the portal returned it. */
  transferSpec: Record<string, unknown>;
  /** The HTTP Gateway base URL the portal named for this transfer, if any. */
  gatewayUrl?: string;
  /** Gateway uploads: the files to send, in the order of `transferSpec.paths`. */
  sources?: UploadSource[];
  /**
   * Desktop uploads: the real local paths from Desktop's own dialogs
   * (`capabilities.nativeFilePicking`), each with its destination relative to the spec's
   * `destination_root`; they replace `transferSpec.paths`. Ignored by the gateway client.
   */
  localPaths?: { source: string; destination?: string }[];
}

export interface TransferClientAvailability {
  available: boolean;
  /** Why not, in words for the user ("IBM Aspera for Desktop is not running"). */
  reason?: string;
}

/** What the UI may offer for a client's transfers: it shows Pause, Resume and per-file rows from these. */
export interface TransferClientCapabilities {
  /** `pause` then `resume` continues where it stopped. */
  pause: boolean;
  /** `resume` continues a paused, failed or stopped transfer where it stopped (not from zero). */
  resume: boolean;
  /** Events carry `files`. */
  perFileProgress: boolean;
  /** Real local paths from the client's own dialogs (Desktop), instead of browser File objects. */
  nativeFilePicking: boolean;
}

export interface TransferClient {
  readonly kind: TransferClientKind;
  readonly capabilities: TransferClientCapabilities;
  availability(): Promise<TransferClientAvailability>;
  start(request: StartRequest): Promise<void>;
  /** Cancel: the transfer ends as `cancelled`. */
  stop(transferId: string): Promise<void>;
  /** Stop for now, to `resume` later (`capabilities.pause`); the transfer shows `paused`. Else rejects `NOT_SUPPORTED`. */
  pause(transferId: string): Promise<void>;
  /**
   * Continue a paused, failed or stopped transfer. Where `capabilities.resume` is false (the
   * gateway) it starts again from the beginning with the same spec, unless `canContinue`. `sources`:
   * the files chosen again for an upload this page no longer holds (after a reload), which the
   * client must recognise as the same files or refuse (`FILES_CHANGED`).
   */
  resume(transferId: string, sources?: UploadSource[]): Promise<void>;
  /**
   * Whether `resume` would continue this transfer where it stopped even though
   * `capabilities.resume` is false: the gateway, for an upload whose session the node still holds
   * (docs/http-gateway.md §11), also after a reload (then given its files again). Absent: never.
   */
  canContinue?(transferId: string): boolean;
  /** Forget it in the client's own list. */
  remove(transferId: string): Promise<void>;
  subscribe(listener: (event: TransferClientEvent) => void): () => void;
}
