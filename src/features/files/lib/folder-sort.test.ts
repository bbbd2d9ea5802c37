import { describe, expect, it } from 'vitest';
import { nextSort, toApiSort } from './folder-sort';

describe('folder sort', () => {
  it('maps columns to the API sorts, names Z→A by reading A→Z backwards', () => {
    expect(toApiSort({ column: 'name', direction: 'ascending' })).toEqual({ apiSort: 'name', reversed: false });
    expect(toApiSort({ column: 'name', direction: 'descending' })).toEqual({ apiSort: 'name', reversed: true });
    expect(toApiSort({ column: 'size', direction: 'descending' }).apiSort).toBe('size_desc');
    expect(toApiSort({ column: 'modified', direction: 'ascending' }).apiSort).toBe('mtime_asc');
  });

  it('flips the sorted column and starts others in their natural order', () => {
    const byName = { column: 'name', direction: 'ascending' } as const;
    expect(nextSort(byName, 'name').direction).toBe('descending');
    expect(nextSort(byName, 'size')).toEqual({ column: 'size', direction: 'descending' });
  });
});
