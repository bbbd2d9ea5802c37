/** A byte range `[start, end)` of file `file` (its index in the upload), sent as one part. */
export interface UploadPart {
  file: number;
  start: number;
  end: number;
}

/**
 * The parts still to send (docs/http-gateway.md §11.3): each file's bytes the node does not hold,
 * cut at multiples of `partSize` so a part sent again after a cut covers the same bytes as before.
 * Files are taken in order, so the first files complete first and the per-file list reads naturally.
 */
export function planParts(
  sizes: readonly number[],
  held: readonly (readonly (readonly [number, number])[])[],
  partSize: number,
): UploadPart[] {
  const parts: UploadPart[] = [];
  sizes.forEach((size, file) => {
    let at = 0;
    const ranges = [...(held[file] ?? [])].sort((a, b) => a[0] - b[0]);
    const gaps: [number, number][] = [];
    for (const [s, e] of ranges) {
      if (s > at) gaps.push([at, Math.min(s, size)]);
      at = Math.max(at, e);
    }
    if (at < size) gaps.push([at, size]);
    for (const [from, to] of gaps) {
      for (let start = from; start < to;) {
        const end = Math.min(to, (Math.floor(start / partSize) + 1) * partSize);
        parts.push({ file, start, end });
        start = end;
      }
    }
  });
  return parts;
}

/** Bytes the node already holds, counted once however the ranges were listed. */
export function heldTotal(sizes: readonly number[], held: readonly (readonly (readonly [number, number])[])[], partSize: number): number {
  const missing = planParts(sizes, held, partSize).reduce((sum, p) => sum + p.end - p.start, 0);
  return sizes.reduce((a, b) => a + b, 0) - missing;
}
