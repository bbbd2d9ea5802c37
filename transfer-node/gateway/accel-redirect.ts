/**
 * Where nginx finds a file the node hands off (docs/http-gateway.md §5.4): the node answers with
 * `X-Accel-Redirect` to nginx's `internal` location on the docroot and no body, and nginx sends the
 * file by `sendfile`, answering `Range` and `If-Range` itself (send-download.ts `handOffDownload`).
 */
import { isAbsolute, relative, sep } from 'node:path';

/**
 * `<prefix><docroot-relative path>`, each segment percent-encoded (nginx decodes the header's URI
 * once, so `%`, `?` and `#` in a name reach the right file); null when `abs` is not below `root`.
 */
export function accelRedirectUri(prefix: string, root: string, abs: string): string | null {
  const rel = relative(root, abs);
  if (rel === '' || isAbsolute(rel) || rel === '..' || rel.startsWith(`..${sep}`)) return null;
  return prefix + rel.split(sep).map(encodeURIComponent).join('/');
}
