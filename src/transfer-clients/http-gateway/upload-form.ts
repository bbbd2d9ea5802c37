import type { UploadSource } from '../transfer-client';

type Spec = Record<string, unknown>;
interface SpecPath {
  source?: unknown;
  destination?: unknown;
}

export interface UploadForm {
  form: FormData;
  /** The spec exactly as sent in the `x-aspera-spec` part. */
  transferSpec: Spec;
  /** Sum of the file sizes: the denominator people expect, not the (larger) multipart body. */
  fileBytes: number;
}

/**
 * The v3 upload body (docs/http-gateway.md §3.1), parts in this order: `x-aspera-spec` (the spec with
 * `paths` = one `{source, destination}` per file, in order), then per file `Content-Length` and
 * `file` whose filename is exactly `paths[i].source`. The k-th file part belongs to `paths[k]`, so the
 * order of `sources` is the order of `paths`. Appending a File keeps it a reference: the browser
 * streams it from disk when it sends the body, nothing is read into memory here.
 */
export function buildUploadForm(transferSpec: Spec, sources: readonly UploadSource[]): UploadForm {
  const spec = specWithPaths(transferSpec, sources);
  const form = new FormData();
  form.append('x-aspera-spec', JSON.stringify(spec));
  let fileBytes = 0;
  for (const { file, path } of sources) {
    form.append('Content-Length', String(file.size));
    form.append('file', file, path);
    fileBytes += file.size;
  }
  return { form, transferSpec: spec, fileBytes };
}

/**
 * The spec with `paths` = one `{source, destination}` per file, in the order of `sources`, as both
 * the v3 upload (§3.1) and an upload session (docs/http-gateway.md §11.2) send it.
 */
export function specWithPaths(transferSpec: Spec, sources: readonly UploadSource[]): Spec {
  const given = Array.isArray(transferSpec.paths) ? (transferSpec.paths as SpecPath[]) : [];
  const destinations = new Map<string, string>();
  for (const p of given) {
    if (typeof p?.source === 'string' && typeof p.destination === 'string') destinations.set(p.source, p.destination);
  }
  // docs/transfer-spec.md §1: if one element has a destination all must, so every file gets one.
  const paths = sources.map((s) => ({ source: s.path, destination: destinations.get(s.path) ?? s.path }));
  return { ...transferSpec, paths };
}

/**
 * Upload progress events count bytes of the whole multipart body (spec JSON, boundaries, part
 * headers), a little more than the files. Scaling by the body fraction keeps the bar monotonic and
 * lands exactly on the file total when the body is sent; the overhead (a few hundred bytes per file
 * plus the spec) is too small to be worth modelling where in the body it sits.
 */
export function fileBytesSent(loaded: number, bodyTotal: number, fileBytes: number): number {
  if (!(bodyTotal > 0) || !Number.isFinite(loaded)) return 0;
  const fraction = Math.min(1, Math.max(0, loaded / bodyTotal));
  return Math.round(fraction * fileBytes);
}
