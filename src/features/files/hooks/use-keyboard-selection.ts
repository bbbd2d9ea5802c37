import { useEffect, useState, type KeyboardEvent } from 'react';
import { extendTo, selectAll, selectOnly, toggleOne, type Selection } from '../lib/selection';

export interface KeyboardSelectionOptions {
  /** Rows in the folder, loaded or not. */
  count: number;
  /** A row's path, or undefined while its page has not arrived. */
  pathAt: (index: number) => string | undefined;
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  /** Brings a row on screen (the grid is virtualized: it may not exist yet). */
  scrollToIndex: (index: number) => void;
  /** How many rows PageUp and PageDown move: about a screenful. */
  pageSize: () => number;
  /** Ctrl/⌘+A: the whole folder by default. */
  selectAll?: () => Selection;
  /** Enter on a loaded row. */
  onOpen: (index: number) => void;
  /** Delete or F2, when the role allows them. */
  onDeleteKey?: (() => void) | undefined;
  onRenameKey?: (() => void) | undefined;
}

/**
 * The grid's active row and the keys that move and select, the way file managers do: arrows,
 * Page Up/Down, Home/End (with Shift to extend), Space to toggle, Ctrl/⌘+A, Escape, Enter.
 */
export function useKeyboardSelection(options: KeyboardSelectionOptions) {
  const { count, pathAt, selection, onSelectionChange, scrollToIndex } = options;
  const [active, setActive] = useState(0);
  const activeIndex = Math.min(active, Math.max(0, count - 1));
  // A key can move to a row whose page has not arrived yet (End in 100,000 rows): select it
  // when it does.
  const [pending, setPending] = useState<{ index: number; extend: boolean } | null>(null);
  const pendingPath = pending ? pathAt(pending.index) : undefined;

  const select = (index: number, extend: boolean) => {
    const path = pathAt(index);
    if (path === undefined) setPending({ index, extend });
    else if (extend) onSelectionChange(extendTo(selection, index, pathAt));
    else onSelectionChange(selectOnly(index, path));
  };

  useEffect(() => {
    if (!pending || pendingPath === undefined) return;
    setPending(null);
    onSelectionChange(pending.extend ? extendTo(selection, pending.index, pathAt) : selectOnly(pending.index, pendingPath));
  }, [pending, pendingPath, selection, onSelectionChange, pathAt]);

  const moveTo = (index: number, extend: boolean) => {
    const next = Math.max(0, Math.min(count - 1, index));
    setActive(next);
    scrollToIndex(next);
    select(next, extend);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    // Keys for the header's own controls (the select-all checkbox, the sort buttons) are theirs:
    // Enter on "Size" sorts, it does not open (or download) the active row.
    if (event.target !== event.currentTarget) return;
    if (count === 0) return;
    const page = options.pageSize();
    const mod = event.ctrlKey || event.metaKey;
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(activeIndex + 1, event.shiftKey),
      ArrowUp: () => moveTo(activeIndex - 1, event.shiftKey),
      PageDown: () => moveTo(activeIndex + page, event.shiftKey),
      PageUp: () => moveTo(activeIndex - page, event.shiftKey),
      Home: () => moveTo(0, event.shiftKey),
      End: () => moveTo(count - 1, event.shiftKey),
      ' ': () => {
        const path = pathAt(activeIndex);
        if (path !== undefined) onSelectionChange(toggleOne(selection, activeIndex, path));
      },
      Enter: () => options.onOpen(activeIndex),
      Escape: () => onSelectionChange({ paths: new Set(), anchor: null }),
    };
    if (mod && event.key.toLowerCase() === 'a') {
      // The whole folder, loaded or not: the portal resolves "all" itself, nothing is fetched here.
      event.preventDefault();
      onSelectionChange(options.selectAll ? options.selectAll() : selectAll());
      return;
    }
    if (event.key === 'Delete' && options.onDeleteKey) {
      event.preventDefault();
      options.onDeleteKey();
      return;
    }
    if (event.key === 'F2' && options.onRenameKey) {
      event.preventDefault();
      options.onRenameKey();
      return;
    }
    const action = keys[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  };

  return { activeIndex, setActive, onKeyDown };
}
