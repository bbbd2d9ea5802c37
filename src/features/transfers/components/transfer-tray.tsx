import { ChevronDown, ChevronUp } from '@carbon/icons-react';
import { useRef, useState, type KeyboardEvent } from 'react';
import { Link } from 'react-router';
import { formatBytes } from '../../../lib/format-bytes';
import { useTransfers } from '../api/get-transfers';
import { trayRecords, traySummary } from '../lib/tray-summary';
import { useTransfersStore } from '../stores/transfers-store';
import { TransferRow } from './transfer-row';

/**
 * The transfer tray, on every page behind the login: collapsed, one line with how many transfers
 * run, how far along and how fast; expanded, the running and recent transfers with the rows (and
 * controls) of the Transfers page, which keeps the full history. Fixed to the corner, so it moves
 * nothing on the page when it appears; progress is spoken by TransferActivity's polite live region,
 * not by this line, which changes ten times a second.
 */
export function TransferTray() {
  const [open, setOpen] = useState(false);
  const toggle = useRef<HTMLButtonElement>(null);
  const records = useTransfers().data;
  const removed = useTransfersStore((s) => s.removed);
  const byId = useTransfersStore((s) => s.byId);
  // Recomputed with each progress flush (at most 10 Hz, docs/architecture.md §3): ten rows at most.
  const shown = records ? trayRecords(records, byId, removed) : [];
  if (shown.length === 0) return null;
  const summary = traySummary(shown, byId);
  const line =
    summary.running > 0
      ? [
          `${summary.running} ${summary.running === 1 ? 'transfer' : 'transfers'} running`,
          summary.percent !== null ? `${summary.percent}%` : null,
          summary.rate > 0 ? `${formatBytes(summary.rate)}/s` : null,
        ]
          .filter(Boolean)
          .join(' · ')
      : `No transfers running · ${shown.length} recent`;
  const Chevron = open ? ChevronDown : ChevronUp;
  // Escape folds it back, focus on its bar, as a disclosure's keyboard users expect.
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || !open) return;
    setOpen(false);
    toggle.current?.focus();
  };
  return (
    <aside className={`courier-tray${open ? ' courier-tray--open' : ''}`} aria-label="Transfer tray" onKeyDown={onKeyDown}>
      {open ? (
        <div id="courier-tray-panel" className="courier-tray__panel">
          <ul className="courier-transfers courier-tray__list" aria-label="Running and recent transfers">
            {shown.map((record) => (
              <TransferRow key={record.id} record={record} />
            ))}
          </ul>
          <Link className="courier-tray__all" to="/transfers" onClick={() => setOpen(false)}>
            All transfers
          </Link>
        </div>
      ) : null}
      <button
        ref={toggle}
        type="button"
        className="courier-tray__toggle"
        aria-expanded={open}
        aria-controls={open ? 'courier-tray-panel' : undefined}
        onClick={() => setOpen((v) => !v)}
      >
        <span className="cds--visually-hidden">Transfers: </span>
        <span className="courier-tray__summary">{line}</span>
        <Chevron aria-hidden="true" />
      </button>
    </aside>
  );
}
