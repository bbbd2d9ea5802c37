// @vitest-environment happy-dom
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { emptySelection, type Selection } from '../lib/selection';
import { press, render, type Rendered } from '../../../testing/render';
import { useKeyboardSelection, type KeyboardSelectionOptions } from './use-keyboard-selection';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

type Extra = Pick<KeyboardSelectionOptions, 'onDeleteKey' | 'onRenameKey' | 'onOpen' | 'scrollToIndex'>;

/** A grid of `count` rows whose loaded paths are `loaded` (undefined: the page has not arrived). */
function Grid(props: { count: number; loaded: (string | undefined)[] } & Extra) {
  const [selection, setSelection] = useState<Selection>(emptySelection);
  const keyboard = useKeyboardSelection({
    count: props.count,
    pathAt: (i) => props.loaded[i],
    selection,
    onSelectionChange: setSelection,
    scrollToIndex: props.scrollToIndex,
    pageSize: () => 3,
    onOpen: props.onOpen,
    onDeleteKey: props.onDeleteKey,
    onRenameKey: props.onRenameKey,
  });
  return (
    <div
      role="grid"
      tabIndex={0}
      data-active={keyboard.activeIndex}
      data-selected={selection.all ? 'all' : [...selection.paths].sort().join(',')}
      onKeyDown={keyboard.onKeyDown}
    >
      <button type="button">Size</button>
    </div>
  );
}

const ROWS = ['/a', '/b', '/c', '/d', '/e', '/f', '/g', '/h'];

function grid(extra: Partial<Extra> & { loaded?: (string | undefined)[] } = {}) {
  const props = { count: ROWS.length, loaded: ROWS, onOpen: vi.fn(), scrollToIndex: vi.fn(), ...extra };
  view = render(<Grid {...props} />);
  const element = view.container.querySelector('[role="grid"]')!;
  return {
    props,
    press: (key: string, modifiers?: { shiftKey?: boolean; ctrlKey?: boolean }) => press(element, key, modifiers),
    active: () => Number(element.getAttribute('data-active')),
    selected: () => element.getAttribute('data-selected'),
  };
}

describe('useKeyboardSelection', () => {
  it('moves with the arrows, Page and Home/End, selecting the row it lands on and bringing it on screen', () => {
    const g = grid();
    g.press('ArrowDown');
    expect([g.active(), g.selected()]).toEqual([1, '/b']);
    g.press('PageDown');
    expect([g.active(), g.selected()]).toEqual([4, '/e']);
    g.press('End');
    expect([g.active(), g.selected()]).toEqual([7, '/h']);
    g.press('ArrowDown');
    expect(g.active()).toBe(7);
    g.press('Home');
    expect([g.active(), g.selected()]).toEqual([0, '/a']);
    expect(g.props.scrollToIndex).toHaveBeenLastCalledWith(0);
  });

  it('extends with Shift from the anchor, toggles with Space, selects the whole folder with Ctrl+A and clears with Escape', () => {
    const g = grid();
    g.press('ArrowDown');
    g.press('ArrowDown', { shiftKey: true });
    g.press('ArrowDown', { shiftKey: true });
    expect(g.selected()).toBe('/b,/c,/d');
    g.press(' ');
    expect(g.selected()).toBe('/b,/c');
    g.press('a', { ctrlKey: true });
    // "All": the folder, rows not loaded included, not the rows loaded so far.
    expect(g.selected()).toBe('all');
    g.press('Escape');
    expect(g.selected()).toBe('');
  });

  it('opens the active row on Enter, and leaves Delete and F2 alone unless they are allowed', () => {
    const onDeleteKey = vi.fn();
    const g = grid({ onDeleteKey });
    g.press('ArrowDown');
    g.press('Enter');
    expect(g.props.onOpen).toHaveBeenCalledWith(1);
    g.press('Delete');
    g.press('F2');
    expect(onDeleteKey).toHaveBeenCalledOnce();
  });

  it("leaves keys on the header's own controls to them: Enter on a sort button opens no row", () => {
    const g = grid();
    g.press('ArrowDown');
    press(view!.container.querySelector('button')!, 'Enter');
    press(view!.container.querySelector('button')!, ' ');
    expect(g.props.onOpen).not.toHaveBeenCalled();
    expect(g.selected()).toBe('/b');
  });

  it('selects a row whose page had not arrived once it does', () => {
    const unloaded = [...ROWS.slice(0, 4), undefined, undefined, undefined, undefined];
    const g = grid({ loaded: unloaded });
    g.press('End');
    expect([g.active(), g.selected()]).toEqual([7, '']);
    view?.rerender(<Grid count={ROWS.length} loaded={ROWS} onOpen={vi.fn()} scrollToIndex={vi.fn()} />);
    expect(g.selected()).toBe('/h');
  });
});
