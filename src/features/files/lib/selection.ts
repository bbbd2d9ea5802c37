/**
 * Multi-select as file managers do it, over row indexes of the current sort: a plain click picks
 * one row, Ctrl/⌘ toggles one, Shift extends from the anchor. Selected rows are kept by path, so a
 * selection survives pages arriving and leaving, and a refresh that moves rows.
 */
export interface Selection {
  paths: ReadonlySet<string>;
  /** The row a Shift-extension starts from. */
  anchor: number | null;
}

export const emptySelection: Selection = { paths: new Set(), anchor: null };

export function selectOnly(index: number, path: string): Selection {
  return { paths: new Set([path]), anchor: index };
}

export function toggleOne(selection: Selection, index: number, path: string): Selection {
  const paths = new Set(selection.paths);
  if (paths.has(path)) paths.delete(path);
  else paths.add(path);
  return { paths, anchor: index };
}

/** From the anchor to `index`; rows not loaded yet (no path) are skipped, not invented. */
export function extendTo(selection: Selection, index: number, pathAt: (index: number) => string | undefined): Selection {
  const anchor = selection.anchor ?? index;
  const paths = new Set<string>();
  const [from, to] = anchor <= index ? [anchor, index] : [index, anchor];
  for (let i = from; i <= to; i += 1) {
    const path = pathAt(i);
    if (path !== undefined) paths.add(path);
  }
  return { paths, anchor };
}
