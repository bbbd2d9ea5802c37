import { ToastNotification } from '@carbon/react';
import { useEffect } from 'react';
import { useTransfersStore, type TransferToast } from '../stores/transfers-store';

// Long enough to read a failure's reason; errors stay until dismissed.
const SUCCESS_TOAST_MS = 6000;

/**
 * What every page behind the login shows of transfers: the toasts for ends, and the polite live
 * region for progress steps (TransferEngineProvider follows the events that raise them).
 */
export function TransferActivity() {
  useWarnBeforeLeavingUploads();
  const toasts = useTransfersStore((s) => s.toasts);
  const announcement = useTransfersStore((s) => s.announcement);
  return (
    <>
      <div className="cds--visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        {/* The key re-mounts the text, so a repeated sentence is announced again. */}
        <span key={announcement.seq}>{announcement.text}</span>
      </div>
      <div className="courier-toasts">
        {toasts.map((toast) => (
          <Toast key={toast.id} toast={toast} />
        ))}
      </div>
    </>
  );
}

function Toast({ toast }: { toast: TransferToast }) {
  const dismiss = useTransfersStore((s) => s.dismissToast);
  useEffect(() => {
    if (toast.kind !== 'success') return;
    const timer = setTimeout(() => dismiss(toast.id), SUCCESS_TOAST_MS);
    return () => clearTimeout(timer);
  }, [toast, dismiss]);
  return (
    <ToastNotification
      kind={toast.kind}
      title={toast.title}
      subtitle={toast.subtitle}
      // The live region above speaks for progress; toasts announce themselves as status/alert.
      role={toast.kind === 'error' ? 'alert' : 'status'}
      onClose={() => {
        dismiss(toast.id);
        return false;
      }}
    />
  );
}

/**
 * Leaving or reloading the page ends the uploads it carries (the browser's File objects go with
 * it), so while one runs the browser asks first. Desktop's transfers are not the page's.
 */
function useWarnBeforeLeavingUploads() {
  const busy = useTransfersStore((s) =>
    Object.entries(s.byId).some(
      ([id, p]) =>
        // Desktop carries its transfers on without the page.
        s.carriers[id]?.kind !== 'desktop' &&
        (p.status === 'queued' || p.status === 'starting' || (p.status === 'running' && !p.handedToBrowser)),
    ),
  );
  useEffect(() => {
    if (!busy) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [busy]);
}
