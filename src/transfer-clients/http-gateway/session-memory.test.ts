// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { forgetSession, matchSources, recallSession, rememberSession } from './session-memory';

const file = (name: string, text: string, lastModified: number) => new File([text], name, { lastModified });

afterEach(() => sessionStorage.clear());

describe('upload sessions remembered for a reload', () => {
  it('keeps how to know the files again and the session, per transfer, until forgotten', () => {
    rememberSession('t1', 'http://gw/aspera/http-gwy', 's'.repeat(43), [{ file: file('a.txt', 'abc', 1000), path: 'dir/a.txt' }]);
    rememberSession('t2', 'http://gw/aspera/http-gwy', 'x'.repeat(43), []);
    expect(recallSession('t1')).toEqual({
      gatewayUrl: 'http://gw/aspera/http-gwy',
      sessionId: 's'.repeat(43),
      files: [{ path: 'dir/a.txt', size: 3, lastModified: 1000 }],
    });
    forgetSession('t1');
    expect(recallSession('t1')).toBeNull();
    expect(recallSession('t2')).not.toBeNull();
    forgetSession('t2');
    expect(sessionStorage.length).toBe(0);
  });

  it('matches the files chosen again by path, size and modification time, in the session order', () => {
    const remembered = {
      gatewayUrl: 'g',
      sessionId: 's',
      files: [
        { path: 'd/a.txt', size: 3, lastModified: 1000 },
        { path: 'd/b.txt', size: 2, lastModified: 2000 },
      ],
    };
    const a = file('a.txt', 'abc', 1000);
    const b = file('b.txt', 'bb', 2000);
    expect(
      matchSources(remembered, [
        { file: b, path: 'd/b.txt' },
        { file: a, path: 'd/a.txt' },
      ]),
    ).toEqual({
      sources: [
        { file: a, path: 'd/a.txt' },
        { file: b, path: 'd/b.txt' },
      ],
    });
    expect(matchSources(remembered, [{ file: a, path: 'd/a.txt' }])).toEqual({
      refused: expect.stringMatching(/^d\/b\.txt is not among the files chosen/),
    });
    const edited = file('b.txt', 'bb', 3000);
    expect(
      matchSources(remembered, [
        { file: a, path: 'd/a.txt' },
        { file: edited, path: 'd/b.txt' },
      ]),
    ).toEqual({
      refused: expect.stringMatching(/^d\/b\.txt changed since the upload started/),
    });
    const grown = file('a.txt', 'abcd', 1000);
    expect(
      matchSources(remembered, [
        { file: grown, path: 'd/a.txt' },
        { file: b, path: 'd/b.txt' },
      ]),
    ).toEqual({
      refused: expect.stringMatching(/^d\/a\.txt changed/),
    });
  });
});
