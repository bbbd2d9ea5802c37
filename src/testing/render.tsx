import { act, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';

// Tells React this is a test environment, so act() flushes effects and updates before it returns.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Rendered {
  container: HTMLElement;
  rerender: (ui: ReactNode) => void;
  unmount: () => void;
}

/**
 * Renders into a container in the document (happy-dom) with React's own act(): no testing
 * library, whose queries the few component tests here do not need.
 */
export function render(ui: ReactNode): Rendered {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  act(() => root.render(ui));
  return {
    container,
    rerender: (next) => act(() => root.render(next)),
    unmount: () => {
      act(() => root.unmount());
      container.remove();
    },
  };
}

/** Buttons by their visible text, as a user finds them. */
export function buttonNames(within: ParentNode): string[] {
  return [...within.querySelectorAll('button')].map((b) => b.textContent?.trim() ?? '');
}

export function buttonNamed(within: ParentNode, name: string): HTMLButtonElement {
  const button = [...within.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  if (!button) throw new Error(`No button "${name}" in: ${buttonNames(within).join(', ')}`);
  return button;
}

export function click(element: Element): void {
  act(() => {
    element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
  });
}

export function press(element: Element, key: string, modifiers: { shiftKey?: boolean; ctrlKey?: boolean } = {}): void {
  act(() => {
    element.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...modifiers }));
  });
}

/** Types into a controlled input the way React sees it: through the native setter, then `input`. */
export function typeInto(input: HTMLInputElement, value: string): void {
  act(() => {
    const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')?.set;
    setter?.call(input, value);
    input.dispatchEvent(new Event('input', { bubbles: true }));
  });
}
