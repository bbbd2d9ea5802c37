type Spec = Record<string, unknown>;

/** `tags.aspera["http-gateway"].expected_size` (docs/aspera-sdk.md §8), when the portal set a number. */
export function expectedSize(spec: Spec): number | null {
  const tags = spec.tags as { aspera?: { 'http-gateway'?: { expected_size?: unknown } } } | undefined;
  const size = tags?.aspera?.['http-gateway']?.expected_size;
  return typeof size === 'number' && Number.isFinite(size) && size >= 0 ? size : null;
}

/**
 * Several paths, or a folder (`.` or a trailing `/`), come back as one ZIP only when the spec asks
 * for it (docs/http-gateway.md §4.2): an IBM gateway refuses a folder without `zip_required`. The
 * embedded node zips a folder either way, so a single folder path without a marker still works there.
 */
export function withZipWhenNeeded(spec: Spec): Spec {
  const paths = Array.isArray(spec.paths) ? (spec.paths as { source?: unknown }[]) : [];
  const looksLikeFolder = paths.some((p) => typeof p?.source === 'string' && (p.source === '.' || p.source.endsWith('/')));
  if (spec.zip_required !== undefined || (paths.length <= 1 && !looksLikeFolder)) return spec;
  const title = typeof spec.title === 'string' ? spec.title : '';
  // §4.2: `<download_name>.zip`. The portal names it; this is only for a spec that does not. A name,
  // never a path; Unicode kept, since the node sends it to browsers as RFC 6266 `filename*`.
  const name =
    Array.from(
      title
        // eslint-disable-next-line no-control-regex -- control characters are what is removed
        .replace(/[\u0000-\u001f\u007f/\\]+/g, '_')
        .replace(/\s+/g, ' ')
        .trim(),
    )
      .slice(0, 100)
      .join('')
      .trim() || 'download';
  return { ...spec, zip_required: true, download_name: spec.download_name ?? name };
}

/** Base64 (standard alphabet, padded) of the UTF-8 JSON, as `X-Aspera-Spec` wants it (§4.1). */
export function encodeSpecHeader(spec: Spec): string {
  const bytes = new TextEncoder().encode(JSON.stringify(spec));
  let binary = '';
  // Chunks keep String.fromCharCode under the engine's argument limit for 16 KB+ specs.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * The name a finished streamed download is saved under: the server's RFC 6266 `filename*` when it
 * sends one; else what the spec asked for (`<download_name>.zip` for a zip, the file's own name for
 * one file), since `/v3/download` names it in ASCII only (docs/http-gateway.md §4.2); else the plain
 * `filename`.
 */
export function savedFileName(spec: Spec, disposition: string | null, contentType: string | null): string {
  const extended = disposition && /filename\*\s*=/.test(disposition) ? fileNameFromDisposition(disposition) : null;
  if (extended) return extended;
  const paths = Array.isArray(spec.paths) ? (spec.paths as { source?: unknown }[]) : [];
  const zipName = typeof spec.download_name === 'string' ? spec.download_name : 'download';
  if (spec.zip_required === true) return cleanName(`${zipName}.zip`) ?? 'download.zip';
  const source = paths.length === 1 && typeof paths[0]?.source === 'string' ? paths[0].source : '';
  // A single folder without `zip_required` still comes back as a zip from the embedded node.
  const own = contentType === 'application/zip' ? null : cleanName(source);
  return own ?? fileNameFromDisposition(disposition) ?? 'download';
}

/** The saved name from `Content-Disposition`: RFC 6266 `filename*` first, then `filename`. */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return cleanName(decodeURIComponent(extended[1].trim()));
    } catch {
      /* malformed escape: fall back to the plain parameter */
    }
  }
  const plain = /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]+))/.exec(header);
  const name = plain?.[1]?.replace(/\\(.)/g, '$1') ?? plain?.[2]?.trim();
  return name ? cleanName(name) : null;
}

function cleanName(name: string): string | null {
  // A name is a name, never a path the browser could be steered by.
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base && base !== '.' && base !== '..' ? base : null;
}
