/**
 * Deadlines of one upload body: its token verified within `authorizeMs` of the request start, and
 * then never `idleMs` without a byte from the client. Time the node stalls the client (the parser
 * paused by disk backpressure) does not count as idle, so a slow but live upload is never cut.
 * On expiry `onExpire` fails the upload (which removes its partials), and the socket is closed
 * shortly after, once the error answer had its chance to leave.
 */
import type { IncomingMessage } from 'node:http';
import { NodeError } from '../errors';

// Time for the 408 to be written before the socket is closed under a client that does not read.
const CLOSE_GRACE_MS = 1000;

export interface UploadWatch {
  authorized(): void;
}

export function watchUpload(
  req: IncomingMessage,
  limits: { authorizeMs: number; idleMs: number },
  onExpire: (err: NodeError) => void,
): UploadWatch {
  let idle: NodeJS.Timeout | undefined;
  let over = false;
  const expire = (err: NodeError) => {
    if (over) return;
    stop();
    onExpire(err);
    setTimeout(() => req.socket.destroy(), CLOSE_GRACE_MS).unref();
  };
  const authorize = setTimeout(
    () =>
      expire(
        new NodeError(
          408,
          `The upload's x-aspera-spec was not received and authorized within ${Math.ceil(limits.authorizeMs / 1000)} s`,
          'timeout',
        ),
      ),
    limits.authorizeMs,
  );
  const arm = () => {
    clearTimeout(idle);
    if (over) return;
    idle = setTimeout(
      () => expire(new NodeError(408, `No upload data received for ${Math.ceil(limits.idleMs / 1000)} s`, 'timeout')),
      limits.idleMs,
    );
  };
  const pause = () => clearTimeout(idle);
  function stop() {
    over = true;
    clearTimeout(authorize);
    clearTimeout(idle);
    req.off('data', arm);
    req.off('resume', arm);
    req.off('pause', pause);
  }
  req.on('data', arm);
  req.on('resume', arm);
  req.on('pause', pause);
  req.once('end', stop);
  req.once('close', stop);
  arm();
  return { authorized: () => clearTimeout(authorize) };
}
