import type { TransferError } from '../transfer-error';
import type { TransferClientStatus } from '../transfer-client';
import { gatewayHttpError } from './gateway-error';
import { fileBytesSent, type UploadForm } from './upload-form';

export interface GatewayUpdate {
  status: TransferClientStatus;
  bytesDone: number;
  error?: TransferError;
  handedToBrowser?: boolean;
}

/**
 * One XHR POST of the whole multipart body (docs/http-gateway.md §3): XHR rather than fetch because it
 * reports upload progress and lets the browser stream each File from disk. Returns the abort.
 */
export function runUpload(
  url: string,
  upload: UploadForm,
  createXhr: () => XMLHttpRequest,
  report: (u: GatewayUpdate) => void,
): () => void {
  const xhr = createXhr();
  let sent = 0;
  xhr.open('POST', url);
  xhr.responseType = 'text';
  xhr.upload.onloadstart = () => report({ status: 'running', bytesDone: 0 });
  xhr.upload.onprogress = (e) => {
    if (!e.lengthComputable) return;
    sent = Math.max(sent, fileBytesSent(e.loaded, e.total, upload.fileBytes));
    report({ status: 'running', bytesDone: sent });
  };
  // §3.2: a sent body is not an accepted upload; stay `running` until the server answers.
  xhr.upload.onload = () => report({ status: 'running', bytesDone: upload.fileBytes });
  xhr.onload = () => {
    if (xhr.status > 0 && xhr.status < 400) report({ status: 'completed', bytesDone: upload.fileBytes });
    else report({ status: 'failed', bytesDone: sent, error: gatewayHttpError(xhr.status, String(xhr.responseText ?? ''), 'upload') });
  };
  xhr.onerror = () =>
    report({
      status: 'failed',
      bytesDone: sent,
      error: {
        code: 'NETWORK_ERROR',
        message:
          'The upload stopped: the HTTP Gateway could not be reached, closed the connection, or a file could not be read (moved or deleted since you chose it). Check and try again.',
      },
    });
  xhr.ontimeout = xhr.onerror;
  xhr.onabort = () => report({ status: 'cancelled', bytesDone: sent });
  xhr.send(upload.form);
  return () => xhr.abort();
}
