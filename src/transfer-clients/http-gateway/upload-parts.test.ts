import { describe, expect, it } from 'vitest';
import { heldTotal, planParts } from './upload-parts';

describe('planParts', () => {
  it('cuts each file into parts at multiples of the part size, in file order', () => {
    expect(planParts([25, 0, 10], [], 10)).toEqual([
      { file: 0, start: 0, end: 10 },
      { file: 0, start: 10, end: 20 },
      { file: 0, start: 20, end: 25 },
      { file: 2, start: 0, end: 10 },
    ]);
  });

  it('sends only what the node does not hold, on the same part boundaries as the first time', () => {
    // Parts 0-10 and 20-30 arrived, 10-20 was cut after 4 bytes, 30-35 never started.
    const held = [
      [
        [20, 30],
        [0, 14],
      ],
    ] as const;
    expect(planParts([35], held, 10)).toEqual([
      { file: 0, start: 14, end: 20 },
      { file: 0, start: 30, end: 35 },
    ]);
    expect(heldTotal([35], held, 10)).toBe(24);
    expect(planParts([35], [[[0, 35]]], 10)).toEqual([]);
  });
});
