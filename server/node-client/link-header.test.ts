import { describe, expect, it } from 'vitest';
import { linkTargets, nextIterationToken } from './link-header';

const base = 'https://hsts.example.com:9092/ops/transfers?count=2';

describe('Link header (RFC 8288) for /ops/transfers paging', () => {
  it.each([
    ['the HSTS form', '<https://h:9092/ops/transfers?iteration_token=1440571>; rel="next"', '1440571'],
    ['an unquoted rel', '<https://h:9092/ops/transfers?iteration_token=7>; rel=next', '7'],
    ['another rel casing and a REL parameter name', '<https://h:9092/ops/transfers?iteration_token=8>; REL="Next"', '8'],
    [
      'extra parameters before and after rel',
      '<https://h/ops/transfers?count=2&iteration_token=9>; type="application/json"; rel="next"; title="a, b; c"',
      '9',
    ],
    ['several relation types in one rel', '<https://h/ops/transfers?iteration_token=10>; rel="last next"', '10'],
    [
      'a previous link first',
      '<https://h/ops/transfers?iteration_token=1>; rel="prev", <https://h/ops/transfers?iteration_token=11>; rel="next"',
      '11',
    ],
    ['a relative target', '</ops/transfers?iteration_token=12>; rel="next"', '12'],
    ['spaces around the separators', '  < https://h/ops/transfers?iteration_token=13 > ;rel = "next"  ', '13'],
  ])('finds the next token in %s', (_label, header, token) => {
    expect(nextIterationToken(header, base)).toBe(token);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['only a prev link', '<https://h/ops/transfers?iteration_token=1>; rel="prev"'],
    ['"next" in another parameter', '<https://h/ops/transfers?iteration_token=1>; title="next"; rel="self"'],
    ['a next link without iteration_token', '<https://h/ops/transfers?count=2>; rel="next"'],
    ['a next link with an empty iteration_token', '<https://h/ops/transfers?iteration_token=>; rel="next"'],
    ['a relation type that only contains next', '<https://h/ops/transfers?iteration_token=1>; rel="nextpage"'],
  ])('finds no next page with %s', (_label, header) => {
    expect(nextIterationToken(header, base)).toBeNull();
  });

  it('reads several Link header lines as one list', () => {
    const lines = ['<https://h/a>; rel="prev"', '<https://h/ops/transfers?iteration_token=5>; rel="next"'];
    expect(nextIterationToken(lines, base)).toBe('5');
    expect(linkTargets(lines, 'PREV', base)).toEqual(['https://h/a']);
  });

  it('resolves a relative target against the request URL, keeping a path prefix', () => {
    expect(linkTargets('<transfers?iteration_token=3>; rel="next"', 'next', 'https://h/prefix/ops/transfers')).toEqual([
      'https://h/prefix/ops/transfers?iteration_token=3',
    ]);
  });
});
