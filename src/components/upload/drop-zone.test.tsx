// @vitest-environment happy-dom
import { act } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buttonNamed, click, render, type Rendered } from '../../testing/render';
import { DropZone, type ReadUpload } from './drop-zone';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

function zone(disabled = false) {
  const onUpload = vi.fn<(read: ReadUpload) => void>();
  view = render(<DropZone name="send" onUpload={onUpload} disabled={disabled} />);
  return { onUpload, container: view.container };
}

function drop(target: Element, files: File[]) {
  const event = new Event('drop', { bubbles: true, cancelable: true });
  Object.assign(event, { dataTransfer: { items: [], files } });
  act(() => void target.dispatchEvent(event));
}

describe('DropZone', () => {
  it('is a group named by its hint, whose Choose files and Choose folder buttons the hint describes', () => {
    const { container } = zone();
    const group = container.querySelector('[role="group"]')!;
    const hint = container.querySelector(`#${group.getAttribute('aria-labelledby')}`);
    expect(hint?.textContent).toBe('Drop files or folders here, or choose them. Folders keep their structure.');
    for (const name of ['Choose files', 'Choose folder'])
      expect(buttonNamed(container, name).getAttribute('aria-describedby')).toBe('send-drop-hint');
  });

  it('opens the files picker from its button and reads what was picked, then clears the input for the same pick again', async () => {
    const { container, onUpload } = zone();
    const input = container.querySelector<HTMLInputElement>('[data-testid="send-files-input"]')!;
    const opened = vi.spyOn(input, 'click');
    click(buttonNamed(container, 'Choose files'));
    expect(opened).toHaveBeenCalledOnce();
    Object.defineProperty(input, 'files', { value: [new File(['x'], 'a.txt')], configurable: true });
    act(() => void input.dispatchEvent(new Event('change', { bubbles: true })));
    expect(onUpload).toHaveBeenCalledOnce();
    expect((await onUpload.mock.calls[0]![0]()).sources.map((s) => s.path)).toEqual(['a.txt']);
    expect(input.value).toBe('');
  });

  it('takes a drop, and while disabled ignores one and offers no buttons', async () => {
    const on = zone();
    drop(on.container.querySelector('[data-testid="send-drop-zone"]')!, [new File(['y'], 'b.txt')]);
    expect((await on.onUpload.mock.calls[0]![0]()).sources.map((s) => s.path)).toEqual(['b.txt']);
    view?.unmount();
    const off = zone(true);
    drop(off.container.querySelector('[data-testid="send-drop-zone"]')!, [new File(['y'], 'b.txt')]);
    expect(off.onUpload).not.toHaveBeenCalled();
    expect(buttonNamed(off.container, 'Choose files').disabled).toBe(true);
    expect(buttonNamed(off.container, 'Choose folder').disabled).toBe(true);
  });
});
