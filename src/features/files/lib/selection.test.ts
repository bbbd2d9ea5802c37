import { describe, expect, it } from 'vitest';
import { emptySelection, extendTo, selectOnly, toggleOne } from './selection';

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
});
