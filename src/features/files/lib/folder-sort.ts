import type { FolderSort } from '../api/get-folder-page';

export type SortColumn = 'name' | 'size' | 'modified';
export interface SortState {
  column: SortColumn;
  direction: 'ascending' | 'descending';
}

/**
 * The API sorts names only A→Z; Z→A reads the same order from the end (`reversed`), so it costs
 * no extra request and pages stay shared with the A→Z cache.
 */
export function toApiSort(sort: SortState): { apiSort: FolderSort; reversed: boolean } {
  const descending = sort.direction === 'descending';
  switch (sort.column) {
    case 'name':
      return { apiSort: 'name', reversed: descending };
    case 'size':
      return { apiSort: descending ? 'size_desc' : 'size_asc', reversed: false };
    case 'modified':
      return { apiSort: descending ? 'mtime_desc' : 'mtime_asc', reversed: false };
  }
}

/** A click on the sorted column flips it; on another column starts with its natural order. */
export function nextSort(current: SortState, column: SortColumn): SortState {
  if (current.column === column) {
    return { column, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  }
  // Newest and largest first are what people look for; names read A→Z.
  return { column, direction: column === 'name' ? 'ascending' : 'descending' };
}
