import { useEffect, useState } from 'react';

/**
 * For a dialog that is mounted while open: gives focus back to whatever had it when the dialog
 * opened (the button, or the grid a shortcut was pressed in) once the dialog is gone, as WAI-ARIA's
 * dialog pattern asks. Carbon's Modal only does this for a modal that stays mounted and is told
 * its launcher. Nothing is moved when something else already took focus (a new row that asks for
 * it), or when the opener can no longer take it (removed, or disabled now that nothing is selected).
 */
export function useReturnFocus(): void {
  // Read during the first render, before the dialog's own effects move focus into it.
  const [opener] = useState(() => (typeof document === 'undefined' ? null : document.activeElement));
  useEffect(
    () => () => {
      if (!(opener instanceof HTMLElement) || !opener.isConnected) return;
      const now = document.activeElement;
      if (now !== null && now !== document.body && now.isConnected) return;
      opener.focus();
    },
    [opener],
  );
}
