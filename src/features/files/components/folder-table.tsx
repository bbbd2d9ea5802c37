import { ArrowDown, ArrowUp, ArrowsVertical, Document, Folder } from '@carbon/icons-react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
import type { FileEntry } from '../../../../contract/files';
import { formatBytes } from '../../../lib/format-bytes';
import { useFolderRows } from '../hooks/use-folder-rows';
import { useKeyboardSelection } from '../hooks/use-keyboard-selection';
import { useReveal } from '../hooks/use-reveal';
import type { SortColumn, SortState } from '../lib/folder-sort';
import { emptySelection, extendTo, isSelected, selectAll, selectOnly, toggleOne, type Selection } from '../lib/selection';

// Carbon's "lg" data table row.
const ROW_HEIGHT = 48;

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export interface FolderTableProps {
  spaceId: string;
  path: string;
  label: string;
  sort: SortState;
  onSortChange: (column: SortColumn) => void;
  /** Only entries whose name contains this; '' for all. */
  filter?: string;
  selection: Selection;
  onSelectionChange: (selection: Selection) => void;
  onOpen: (entry: FileEntry) => void;
  /** Delete or F2 on the keyboard, when the role allows them. */
  onDeleteKey?: (() => void) | undefined;
  onRenameKey?: (() => void) | undefined;
  /**
   * An entry just created or renamed here: once the listing holds it, it is scrolled into view,
   * selected and made active, as file managers do, then `onRevealed` is called.
   */
  reveal?: string | null;
  onRevealed?: () => void;
  /** What to draw instead of rows: an empty or error state, once the first page told. */
  renderEmpty: (state: ReturnType<typeof useFolderRows>) => React.ReactNode;
}

const COLUMNS: ReadonlyArray<{ column: SortColumn; label: string }> = [
  { column: 'name', label: 'Name' },
  { column: 'size', label: 'Size' },
  { column: 'modified', label: 'Modified' },
];

/**
 * The folder's entries as an ARIA grid: virtualized (only the rows on screen exist), paged from
 * the API as they scroll into view, multi-select with mouse and keyboard the way file managers do.
 */
export function FolderTable(props: FolderTableProps) {
  const { sort, selection, onSelectionChange } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [range, setRange] = useState({ start: 0, end: 40 });
  const filter = props.filter ?? '';
  const rows = useFolderRows(props.spaceId, props.path, sort, range, filter);
  const count = rows.totalCount ?? 0;

  // A new order (or filter) starts at its top, not at the old scroll offset among other rows.
  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
  }, [sort.column, sort.direction, filter]);

  /**
   * "All" is the whole folder, loaded or not, which the portal resolves itself; a filtered view
   * selects the matching rows loaded, since the portal's "all" knows no filter.
   */
  const selectEverything = (): Selection =>
    filter ? { ...extendTo({ paths: new Set(), anchor: 0 }, count - 1, (i) => rows.rowAt(i)?.path), anchor: null } : selectAll();
  const everySelected = selection.all === true ? selection.paths.size === 0 : count > 0 && selection.paths.size >= count;
  const someSelected = selection.all === true || selection.paths.size > 0;

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    onChange: (v) => {
      const items = v.getVirtualItems();
      const start = items[0]?.index ?? 0;
      const end = items[items.length - 1]?.index ?? 0;
      setRange((r) => (r.start === start && r.end === end ? r : { start, end }));
    },
  });

  const pathAt = (i: number) => rows.rowAt(i)?.path;
  const { activeIndex, setActive, onKeyDown } = useKeyboardSelection({
    count,
    pathAt,
    selection,
    onSelectionChange,
    selectAll: selectEverything,
    scrollToIndex: (i) => virtualizer.scrollToIndex(i, { align: 'auto' }),
    pageSize: () => Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 480) / ROW_HEIGHT) - 1),
    onOpen: (i) => {
      const entry = rows.rowAt(i);
      if (entry) props.onOpen(entry);
    },
    onDeleteKey: props.onDeleteKey,
    onRenameKey: props.onRenameKey,
  });

  useReveal({
    reveal: props.reveal,
    onRevealed: props.onRevealed,
    indexOf: rows.indexOf,
    listedAt: rows.firstPage.dataUpdatedAt,
    onFound: (i, path) => {
      setActive(i);
      virtualizer.scrollToIndex(i, { align: 'auto' });
      onSelectionChange(selectOnly(i, path));
    },
  });

  const onRowClick = (event: MouseEvent, index: number, entry: FileEntry) => {
    setActive(index);
    if (event.shiftKey) onSelectionChange(extendTo(selection, index, pathAt));
    else if (event.ctrlKey || event.metaKey) onSelectionChange(toggleOne(selection, index, entry.path));
    else onSelectionChange(selectOnly(index, entry.path));
  };

  const empty = rows.totalCount === 0 || rows.firstPage.isError || rows.firstPage.isPending;
  const drawn = new Set<string>();
  const rowId = (i: number) => `folder-row-${i}`;

  return (
    <div className="courier-files-table">
      <div
        ref={scrollRef}
        className="courier-files-table__scroll"
        role="grid"
        aria-label={props.label}
        aria-rowcount={count + 1}
        aria-multiselectable="true"
        aria-busy={rows.firstPage.isFetching}
        tabIndex={0}
        aria-activedescendant={count > 0 ? rowId(activeIndex) : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="courier-files-table__head" role="row" aria-rowindex={1}>
          <div role="columnheader" className="courier-files-table__check">
            <input
              type="checkbox"
              className="courier-files-table__checkbox"
              aria-label={filter ? 'Select all matching items' : `Select all ${count.toLocaleString()} ${count === 1 ? 'item' : 'items'}`}
              checked={everySelected}
              ref={(input) => {
                if (input) input.indeterminate = !everySelected && someSelected;
              }}
              disabled={count === 0}
              onChange={() => onSelectionChange(everySelected ? emptySelection : selectEverything())}
            />
          </div>
          {COLUMNS.map(({ column, label }) => {
            const sorted = sort.column === column;
            const Icon = !sorted ? ArrowsVertical : sort.direction === 'ascending' ? ArrowUp : ArrowDown;
            return (
              <div
                key={column}
                role="columnheader"
                aria-sort={sorted ? sort.direction : 'none'}
                className={`courier-files-table__cell courier-files-table__cell--${column}`}
              >
                <button type="button" className="courier-files-table__sort" onClick={() => props.onSortChange(column)}>
                  {label}
                  <Icon aria-hidden="true" className={sorted ? '' : 'courier-files-table__sort-idle'} />
                </button>
              </div>
            );
          })}
        </div>
        {empty ? (
          <div role="row" aria-rowindex={2}>
            <div role="gridcell" className="courier-files-table__empty">
              {props.renderEmpty(rows)}
            </div>
          </div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const entry = rows.rowAt(item.index);
              const selected = entry ? isSelected(selection, entry.path) : false;
              // Keyed by the entry, not the position: when a refresh inserts a row above, each
              // element (and the click about to land on it) stays with its own entry. A page
              // fetched before a change may repeat a path, so a repeat falls back to the index.
              const key = entry && !drawn.has(entry.path) ? entry.path : `row-${item.index}`;
              drawn.add(key);
              return (
                <div
                  key={key}
                  id={rowId(item.index)}
                  role="row"
                  aria-rowindex={item.index + 2}
                  aria-selected={selected}
                  className={[
                    'courier-files-table__row',
                    selected ? 'courier-files-table__row--selected' : '',
                    item.index === activeIndex ? 'courier-files-table__row--active' : '',
                  ].join(' ')}
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                  onClick={entry ? (e) => onRowClick(e, item.index, entry) : undefined}
                  onDoubleClick={entry ? () => props.onOpen(entry) : undefined}
                >
                  {entry ? (
                    <EntryCells
                      entry={entry}
                      selected={selected}
                      onToggle={() => {
                        setActive(item.index);
                        onSelectionChange(toggleOne(selection, item.index, entry.path));
                      }}
                      onOpen={() => props.onOpen(entry)}
                    />
                  ) : (
                    <div role="gridcell" className="courier-files-table__loading" aria-label="Loading">
                      <span className="cds--skeleton__text" />
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

function EntryCells(props: { entry: FileEntry; selected: boolean; onToggle: () => void; onOpen: () => void }) {
  const { entry } = props;
  const isFolder = entry.type === 'folder';
  return (
    <>
      <div role="gridcell" className="courier-files-table__check">
        <input
          type="checkbox"
          className="courier-files-table__checkbox"
          checked={props.selected}
          aria-label={`Select ${entry.name}`}
          tabIndex={-1}
          onClick={(e) => e.stopPropagation()}
          onChange={props.onToggle}
        />
      </div>
      <div role="gridcell" className="courier-files-table__cell courier-files-table__cell--name">
        {isFolder ? <Folder aria-hidden="true" /> : <Document aria-hidden="true" />}
        {isFolder ? (
          <button
            type="button"
            className="courier-files-table__open"
            tabIndex={-1}
            onClick={(e) => {
              e.stopPropagation();
              props.onOpen();
            }}
          >
            {entry.name}
          </button>
        ) : (
          <span className="courier-files-table__name">{entry.name}</span>
        )}
      </div>
      <div role="gridcell" className="courier-files-table__cell courier-files-table__cell--size">
        {isFolder ? '—' : formatBytes(entry.size)}
      </div>
      <div role="gridcell" className="courier-files-table__cell courier-files-table__cell--modified">
        {entry.modifiedAt ? dateFormat.format(new Date(entry.modifiedAt)) : '—'}
      </div>
    </>
  );
}
