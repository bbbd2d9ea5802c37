// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { render, type Rendered } from '../../../testing/render';
import { useReveal, type RevealOptions } from './use-reveal';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

function Probe(props: RevealOptions) {
  useReveal(props);
  return null;
}

function probe(reveal: string, onFound: RevealOptions['onFound'], onRevealed: () => void) {
  const at = (rows: string[], listedAt: number) => (
    <Probe reveal={reveal} onRevealed={onRevealed} indexOf={(p) => rows.indexOf(p)} listedAt={listedAt} onFound={onFound} />
  );
  view = render(at(['/a'], 1));
  return (rows: string[], listedAt: number) => view?.rerender(at(rows, listedAt));
}

describe('useReveal', () => {
  it('hands over the row once the listing holds the entry', () => {
    const onFound = vi.fn();
    const onRevealed = vi.fn();
    const list = probe('/new', onFound, onRevealed);
    expect(onFound).not.toHaveBeenCalled();
    list(['/a', '/new'], 1);
    expect(onFound).toHaveBeenCalledWith(1, '/new');
    expect(onRevealed).toHaveBeenCalledOnce();
  });

  it('gives up when a newer listing still lacks it', () => {
    const onFound = vi.fn();
    const onRevealed = vi.fn();
    const list = probe('/gone', onFound, onRevealed);
    list(['/a'], 2);
    expect(onFound).not.toHaveBeenCalled();
    expect(onRevealed).toHaveBeenCalledOnce();
  });
});
