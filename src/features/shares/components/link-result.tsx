import { Button, InlineNotification, TextInput } from '@carbon/react';
import { Copy } from '@carbon/icons-react';
import { toDataURL } from 'qrcode';
import { useEffect, useState } from 'react';

/** A link to hand out: its address to copy and its QR code, drawn here (the address never leaves the page). */
export function LinkResult({ url }: { url: string }) {
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  useEffect(() => {
    let live = true;
    void toDataURL(url, { margin: 1, width: 192 }).then((data) => live && setQr(data));
    return () => {
      live = false;
    };
  }, [url]);
  const copy = () =>
    navigator.clipboard.writeText(url).then(
      () => setCopied('yes'),
      () => setCopied('failed'),
    );
  return (
    <div className="courier-share-link">
      <TextInput id="courier-share-url" labelText="Link" value={url} readOnly onFocus={(e) => e.target.select()} />
      <Button size="md" kind="secondary" renderIcon={Copy} onClick={() => void copy()}>
        Copy link
      </Button>
      <p role="status" className="courier-share-link__status">
        {copied === 'yes' ? 'Link copied.' : copied === 'failed' ? 'Could not copy: select the link and copy it.' : ''}
      </p>
      {qr ? <img src={qr} width={192} height={192} alt={`QR code of the link ${url}`} /> : null}
      <InlineNotification
        kind="info"
        lowContrast
        hideCloseButton
        title="Anyone with this link can download what it shares"
        subtitle="A password, if you set one, is not part of the link: tell it separately."
      />
    </div>
  );
}
