/**
 * Errors a transfer client reports, as `{ code, message }` (docs/architecture.md §5.3): the UI
 * branches on `code` and shows `message`, which says what happened and what the person can do.
 */
export type TransferErrorCode =
  /** The gateway or Desktop could not be reached at all (down, offline, CORS refused). */
  | 'NETWORK_ERROR'
  /** The gateway refused the transfer token (expired, from another node, tampered): start it again. */
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  /** The request was refused as invalid (a name the node refuses, a malformed spec). */
  | 'BAD_REQUEST'
  /** The gateway or Desktop failed on its side (5xx, ascp error). */
  | 'TRANSFER_FAILED'
  /** A file the browser cannot read (deleted or moved since it was picked). */
  | 'UNREADABLE_FILE'
  /** The operation does not exist for this client or this transfer (e.g. cancel a browser download). */
  | 'NOT_SUPPORTED'
  /** The client is not there (SDK not loaded, Desktop not running). */
  | 'CLIENT_UNAVAILABLE'
  | 'UNKNOWN_TRANSFER'
  /** Files chosen again to resume an upload are not the ones it started with (another size or date). */
  | 'FILES_CHANGED';

export interface TransferError {
  code: TransferErrorCode;
  message: string;
}

/** Thrown by `start`/`stop`/`resume`/`remove` so callers can show `message` and branch on `code`. */
export class TransferClientError extends Error implements TransferError {
  override readonly name = 'TransferClientError';
  constructor(
    readonly code: TransferErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** Maps an HTTP status to the code a person can act on; the message comes from the server when it gave one. */
export function codeForHttpStatus(status: number): TransferErrorCode {
  if (status === 401) return 'UNAUTHORIZED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 404) return 'NOT_FOUND';
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status >= 400 && status < 500) return 'BAD_REQUEST';
  return 'TRANSFER_FAILED';
}
