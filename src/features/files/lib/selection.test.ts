import { describe, expect, it } from 'vitest';
import { emptySelection, extendTo, isSelected, selectAll, selectedCount, selectOnly, toggleOne } from './selection';

const rows = ['/a', '/b', undefined, '/d', '/e'];
const pathAt = (i: number) => rows[i];

describe('selection', () => {
  it('picks one row, toggles others, and extends from the anchor both ways', () => {
    const one = selectOnly(1, '/b');
    expect([...one.paths]).toEqual(['/b']);
    const two = toggleOne(one, 4, '/e');
    expect([...two.paths].sort()).toEqual(['/b', '/e']);
    expect(two.anchor).toBe(4);
    expect([...toggleOne(two, 4, '/e').paths]).toEqual(['/b']);

    const down = extendTo(one, 4, pathAt);
    expect([...down.paths]).toEqual(['/b', '/d', '/e']);
    expect(down.anchor).toBe(1);
    const up = extendTo(selectOnly(3, '/d'), 0, pathAt);
    expect([...up.paths]).toEqual(['/a', '/b', '/d']);
  });

  it('extends from the row itself when nothing was anchored', () => {
    expect([...extendTo(emptySelection, 0, pathAt).paths]).toEqual(['/a']);
  });

  it('"all" holds every entry of the folder, loaded or not, but the rows unticked', () => {
    const all = selectAll();
    expect(isSelected(all, '/never-loaded')).toBe(true);
    expect(selectedCount(all, 2000)).toBe(2000);
    expect(selectedCount(selectOnly(0, '/a'), 2000)).toBe(1);
    const unticked = toggleOne(all, 3, '/d');
    expect([unticked.all, selectedCount(unticked, 2000), isSelected(unticked, '/d'), isSelected(unticked, '/a')]).toEqual([
      true,
      1999,
      false,
      true,
    ]);
    expect(isSelected(toggleOne(unticked, 3, '/d'), '/d')).toBe(true);
    // A plain click or a Shift-extension starts a selection of its own.
    expect(extendTo(unticked, 1, pathAt).all).toBeUndefined();
  });
});
