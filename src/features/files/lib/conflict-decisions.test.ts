import { describe, expect, it } from 'vitest';
import { applyDecisions, topNames } from './conflict-decisions';

const file = (path: string) => ({ path, file: new File(['x'], path.split('/').pop() ?? path) });

describe('conflict decisions', () => {
  const upload = {
    sources: [file('report.txt'), file('Photos/a.jpg'), file('Photos/sub/b.jpg'), file('notes.md')],
    emptyFolders: ['Photos/empty', 'Empty'],
  };

  it('names each top-level item of an upload once', () => {
    expect(topNames(upload)).toEqual(['report.txt', 'Photos', 'notes.md', 'Empty']);
  });

  it('skips, renames a folder with everything in it, and lists what is replaced', () => {
    const decided = applyDecisions(upload, [
      { name: 'report.txt', choice: 'replace', freeName: 'report (1).txt' },
      { name: 'Photos', choice: 'keep-both', freeName: 'Photos (1)' },
      { name: 'notes.md', choice: 'skip', freeName: 'notes (1).md' },
    ]);
    expect(decided.sources.map((s) => s.path)).toEqual(['report.txt', 'Photos (1)/a.jpg', 'Photos (1)/sub/b.jpg']);
    expect(decided.emptyFolders).toEqual(['Photos (1)/empty', 'Empty']);
    expect(decided.replace).toEqual(['report.txt']);
    // The bytes stay the picked file's: only where it lands changes.
    expect(decided.sources[1]?.file).toBe(upload.sources[1]?.file);
  });

  it('renames only the top name, not a deeper folder that shares it', () => {
    const nested = { sources: [file('a/a/x.txt')], emptyFolders: [] };
    const decided = applyDecisions(nested, [{ name: 'a', choice: 'keep-both', freeName: 'a (1)' }]);
    expect(decided.sources.map((s) => s.path)).toEqual(['a (1)/a/x.txt']);
  });
});
