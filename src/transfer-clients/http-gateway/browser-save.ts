// A click starts the save asynchronously; revoking the Blob URL at once can cancel it in some browsers.
const REVOKE_AFTER_MS = 60_000;
// The iframe must outlive the wait for the first byte (a big folder's ZIP is sized before it starts).
const IFRAME_LIFETIME_MS = 10 * 60_000;

export function saveBlobWithAnchor(doc: Document, blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = doc.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  anchor.style.display = 'none';
  doc.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/**
 * A hidden iframe rather than navigating the page (docs/http-gateway.md §5.3): if the signed URL
 * answers with an error page instead of an attachment, the portal stays where it is.
 */
export function openInHiddenFrame(doc: Document, url: string): void {
  const frame = doc.createElement('iframe');
  frame.hidden = true;
  frame.style.display = 'none';
  frame.src = url;
  doc.body.append(frame);
  setTimeout(() => frame.remove(), IFRAME_LIFETIME_MS);
}
