/**
 * Multi-select as file managers do it, over row indexes of the current sort: a plain click picks
 * one row, Ctrl/⌘ toggles one, Shift extends from the anchor. Selected rows are kept by path, so a
 * selection survives pages arriving and leaving, and a refresh that moves rows.
 */
export interface Selection {
  /** The rows selected; with `all`, the rows left out instead. */
  paths: ReadonlySet<string>;
  /** The row a Shift-extension starts from. */
  anchor: number | null;
  /**
   * Every entry of the folder, loaded or not (Ctrl+A, the header checkbox), but those in `paths`:
   * the portal resolves "all of this folder" itself for a download or a delete.
   */
  all?: boolean;
}

export const emptySelection: Selection = { paths: new Set(), anchor: null };

export const selectAll = (): Selection => ({ paths: new Set(), anchor: null, all: true });

export const isSelected = (selection: Selection, path: string) => (selection.all === true) !== selection.paths.has(path);

/** How many entries the selection holds, out of the folder's `total` for "all". */
export const selectedCount = (selection: Selection, total: number) =>
  selection.all ? Math.max(0, total - selection.paths.size) : selection.paths.size;

export function selectOnly(index: number, path: string): Selection {
  return { paths: new Set([path]), anchor: index };
}

/** Toggles one row; under "all" it is left out (or back in), the rest staying selected. */
export function toggleOne(selection: Selection, index: number, path: string): Selection {
  const paths = new Set(selection.paths);
  if (paths.has(path)) paths.delete(path);
  else paths.add(path);
  return { ...selection, paths, anchor: index };
}

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
