import { useEffect, type RefObject } from 'react';

/**
 * Close a disclosure (menu, panel) the ways users expect: Escape, a click elsewhere, or focus
 * moving elsewhere. `refs` are the elements that count as "inside" (the panel and its toggle).
 */
export function useDismiss(
  open: boolean,
  refs: ReadonlyArray<RefObject<HTMLElement | null>>,
  onDismiss: (reason: 'escape' | 'outside') => void,
): void {
  useEffect(() => {
    if (!open) return;
    const inside = (target: EventTarget | null) => target instanceof Node && refs.some((ref) => ref.current?.contains(target));
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onDismiss('escape');
    };
    const onPointerDown = (event: PointerEvent) => {
      if (!inside(event.target)) onDismiss('outside');
    };
    const onFocusIn = (event: FocusEvent) => {
      if (!inside(event.target)) onDismiss('outside');
    };
    document.addEventListener('keydown', onKeyDown);
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('pointerdown', onPointerDown);
      document.removeEventListener('focusin', onFocusIn);
    };
  }, [open, refs, onDismiss]);
}
