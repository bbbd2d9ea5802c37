/** What a continued session sends (docs/http-gateway.md §11.3): only the bytes the remote lacks, in parts. */
import { describe, expect, it } from 'vitest';
import { planParts } from './session-client';

describe('planParts', () => {
  it('cuts every file into parts of at most the part size, an empty file into none', () => {
    expect(planParts([10, 0, 3], [[], [], []], 4)).toEqual([
      { file: 0, start: 0, end: 4 },
      { file: 0, start: 4, end: 8 },
      { file: 0, start: 8, end: 10 },
      { file: 2, start: 0, end: 3 },
    ]);
  });

  it('sends only the gaps between the ranges held, however they are ordered or overlap', () => {
    expect(
      planParts(
        [20],
        [
          [
            [12, 15],
            [2, 5],
            [4, 8],
          ],
        ],
        3,
      ),
    ).toEqual([
      { file: 0, start: 0, end: 2 },
      { file: 0, start: 8, end: 11 },
      { file: 0, start: 11, end: 12 },
      { file: 0, start: 15, end: 18 },
      { file: 0, start: 18, end: 20 },
    ]);
  });

  it('sends nothing of a file held whole', () => {
    expect(planParts([5, 2], [[[0, 5]], [[0, 1]]], 4)).toEqual([{ file: 1, start: 1, end: 2 }]);
  });
});
