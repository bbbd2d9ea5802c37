import { codeForHttpStatus, type TransferError } from '../transfer-error';

/**
 * A gateway error body is `{message|description, code}` JSON (docs/http-gateway.md §6); a proxy in
 * front may answer with text or HTML instead, which we do not show verbatim beyond a short line.
 */
export function gatewayHttpError(status: number, body: string, action: 'upload' | 'download'): TransferError {
  let text: string | undefined;
  try {
    const parsed = JSON.parse(body) as { message?: unknown; description?: unknown };
    const candidate = parsed.message ?? parsed.description;
    if (typeof candidate === 'string' && candidate.trim()) text = candidate.trim();
  } catch {
    const line = body.trim().split('\n')[0] ?? '';
    if (line && !line.startsWith('<') && line.length <= 200) text = line;
  }
  return { code: codeForHttpStatus(status), message: text ?? defaultMessage(status, action) };
}

function defaultMessage(status: number, action: 'upload' | 'download'): string {
  if (status === 401) return `The ${action} authorization expired or was refused: start the ${action} again.`;
  if (status === 403) return `You are not allowed to ${action} these files.`;
  if (status === 404)
    return action === 'download' ? 'The file no longer exists on the server.' : 'The destination folder no longer exists.';
  if (status === 413) return 'The files are larger than the gateway accepts.';
  return `The HTTP Gateway answered ${status} to the ${action}: try again, or ask an administrator if it persists.`;
}

export function gatewayNetworkError(action: 'upload' | 'download'): TransferError {
  return {
    code: 'NETWORK_ERROR',
    message: `The HTTP Gateway could not be reached during the ${action} (network down, gateway stopped or refusing this site): check your connection and try again.`,
  };
}

/**
 * The browser says it is offline (`navigator.onLine` false: the cable, the Wi-Fi, airplane mode):
 * that is the reason a person can act on, better than the list of everything a failed request may mean.
 */
export function offlineError(action: 'upload' | 'download'): TransferError {
  return { code: 'NETWORK_ERROR', message: `Network connection lost during the ${action}: reconnect, then retry.` };
}
