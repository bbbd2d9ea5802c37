/**
 * The byte ranges of a file an upload session holds (docs/http-gateway.md §11.3): half-open
 * `[start, end)` pairs, sorted and merged, so the status call lists few ranges however the parts
 * arrived.
 */
export type ByteRange = readonly [start: number, end: number];

/** `ranges` with `[start, end)` added, merged with whatever it touches or overlaps. */
export function addRange(ranges: readonly ByteRange[], start: number, end: number): ByteRange[] {
  if (end <= start) return [...ranges];
  const out: ByteRange[] = [];
  let from = start;
  let to = end;
  for (const [s, e] of ranges) {
    if (e < from || s > to) out.push([s, e]);
    else {
      from = Math.min(from, s);
      to = Math.max(to, e);
    }
  }
  out.push([from, to]);
  return out.sort((a, b) => a[0] - b[0]);
}

export function heldBytes(ranges: readonly ByteRange[]): number {
  return ranges.reduce((sum, [s, e]) => sum + e - s, 0);
}

/** The ranges of `[0, size)` not in `ranges`. */
export function missingRanges(ranges: readonly ByteRange[], size: number): ByteRange[] {
  const missing: ByteRange[] = [];
  let at = 0;
  for (const [s, e] of ranges) {
    if (s > at) missing.push([at, Math.min(s, size)]);
    at = Math.max(at, e);
  }
  if (at < size) missing.push([at, size]);
  return missing;
}

export function overlaps(a: ByteRange, b: ByteRange): boolean {
  return a[0] < b[1] && b[0] < a[1];
}
