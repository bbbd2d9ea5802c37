import { codeForHttpStatus, type TransferError } from '../transfer-error';
import type { AsperaSdkTransfer } from './sdk-types';

// §10: Desktop, Connect and the gateway all signal a cancelled dialog with this JSON-RPC code.
const DIALOG_CANCELLED = -32002;

export function isDialogCancelled(error: unknown): boolean {
  const debug = (error as { debugData?: { code?: unknown } } | null)?.debugData;
  return debug?.code === DIALOG_CANCELLED;
}

/**
 * §12.8: the SDK rejects with an `ErrorResponse`, a raw `Error`/`TypeError`, a `ProgressEvent`, a
 * bare `{debugData}` or throws a `DOMException` synchronously. One shape comes out.
 */
export function normaliseSdkError(error: unknown, action: string): TransferError {
  if (typeof ProgressEvent !== 'undefined' && error instanceof ProgressEvent) {
    return { code: 'NETWORK_ERROR', message: `The ${action} failed: the HTTP Gateway could not be reached.` };
  }
  const e = error as { message?: unknown; debugData?: { message?: unknown } } | null;
  const text = [e?.message, e?.debugData?.message].find((m): m is string => typeof m === 'string' && m.trim() !== '');
  if (text && /not been verified/i.test(text)) {
    return {
      code: 'CLIENT_UNAVAILABLE',
      message: `IBM Aspera for Desktop is not running, so the ${action} cannot be done: launch it and try again.`,
    };
  }
  if (error instanceof TypeError && /fetch/i.test(error.message)) {
    return { code: 'NETWORK_ERROR', message: `The ${action} failed: IBM Aspera for Desktop or the gateway could not be reached.` };
  }
  return {
    code: 'TRANSFER_FAILED',
    message: text ? `The ${action} failed: ${text}` : `The ${action} failed for an unknown reason: try again.`,
  };
}

/** §12.3: an in-browser gateway download failure always says this, whatever the server answered. */
const SDK_GENERIC_HTTP_ERROR = 'HTTP network encountered unknown error.';

/** The error of a `failed` transfer object: ascp codes from Desktop, HTTP statuses from the gateway. */
export function transferFailure(t: AsperaSdkTransfer): TransferError {
  const desc = typeof t.error_desc === 'string' ? t.error_desc.trim() : '';
  if (t.transfer_client === 'http-gateway') {
    const status = typeof t.error_code === 'number' ? t.error_code : 500;
    if (!desc || desc === SDK_GENERIC_HTTP_ERROR) {
      return {
        code: codeForHttpStatus(status),
        message: 'The HTTP Gateway refused or dropped the transfer (it gave no details): try again, or ask an administrator.',
      };
    }
    return { code: codeForHttpStatus(status), message: desc };
  }
  const code = typeof t.error_code === 'number' ? ` (error ${t.error_code})` : '';
  return { code: 'TRANSFER_FAILED', message: desc ? `${desc}${code}` : `IBM Aspera for Desktop reported a failure${code}: try again.` };
}
