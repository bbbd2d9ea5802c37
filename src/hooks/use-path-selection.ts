import { useState } from 'react';

/** A set of selected paths: `toggle(path)` flips one, `toggle(path, checked)` sets it (a checkbox's answer). */
export function usePathSelection() {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const toggle = (path: string, checked?: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (checked ?? !next.has(path)) next.add(path);
      else next.delete(path);
      return next;
    });
  return { selected, toggle };
}
