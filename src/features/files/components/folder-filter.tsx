import { Search } from '@carbon/react';
import { useEffect, useRef, useState } from 'react';

// Each change asks the portal, which reads the folder whole: wait for a pause in the typing.
const SETTLE_MS = 250;

/** Filter the folder shown by name; the portal matches across every entry, not the rows loaded. */
export function FolderFilter({ onChange }: { onChange: (filter: string) => void }) {
  const [text, setText] = useState('');
  // Told only of a real change, so opening the folder or adding a space changes nothing.
  const told = useRef('');
  useEffect(() => {
    const next = text.trim();
    if (next === told.current) return;
    const timer = setTimeout(() => {
      told.current = next;
      onChange(next);
    }, SETTLE_MS);
    return () => clearTimeout(timer);
  }, [text, onChange]);
  return (
    <div className="courier-files__filter">
      <Search
        size="md"
        labelText="Filter by name"
        placeholder="Filter this folder by name"
        value={text}
        onChange={(event) => setText(event.target.value)}
        closeButtonLabelText="Clear the filter"
      />
    </div>
  );
}
