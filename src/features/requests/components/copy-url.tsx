import { Button, TextInput } from '@carbon/react';
import { Copy } from '@carbon/icons-react';
import { useId, useState } from 'react';

/** A link shown in full (selectable) with a Copy button whose result is announced. */
export function CopyUrl({ url, label = 'Link' }: { url: string; label?: string }) {
  const id = useId();
  const [said, setSaid] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setSaid('Link copied.');
    } catch {
      setSaid('The browser did not allow copying; select the link and copy it.');
    }
  };
  return (
    <div className="courier-requests__copy">
      <TextInput id={id} labelText={label} value={url} readOnly onFocus={(e) => e.target.select()} data-testid="request-url" />
      <Button kind="secondary" size="md" renderIcon={Copy} onClick={() => void copy()}>
        Copy link
      </Button>
      <p role="status">{said}</p>
    </div>
  );
}
