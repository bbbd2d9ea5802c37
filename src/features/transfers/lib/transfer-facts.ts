import type { TransferRecord } from '../../../../contract/transfers';
import { formatBytes } from '../../../lib/format-bytes';

/** How many of a download's paths are named before "and N more". */
const NAMED_PATHS = 3;

/** A time of day as the person's browser writes it, with the date when it is not today. */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const at = new Date(iso);
  const time = at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return at.toDateString() === now.toDateString() ? time : `${at.toLocaleDateString()} ${time}`;
}

/** A span people read at a glance, to the second: "4 s", "2 min 5 s", "1 h 3 min". */
export function formatSpan(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

/**
 * When it started and ended, how long it took and its average rate, from the portal's record (so
 * after a reload and on another device too). Running: only the start.
 */
export function transferTimes(
  record: Pick<TransferRecord, 'startedAt' | 'endedAt' | 'createdAt' | 'bytesTransferred'>,
  bytesDone: number,
  now: Date = new Date(),
): string[] {
  const started = record.startedAt ?? null;
  const facts: string[] = [];
  if (started) facts.push(`Started ${formatWhen(started, now)}`);
  if (record.endedAt) {
    facts.push(`Ended ${formatWhen(record.endedAt, now)}`);
    if (started) {
      const ms = new Date(record.endedAt).getTime() - new Date(started).getTime();
      if (ms >= 0) {
        facts.push(`Took ${formatSpan(ms)}`);
        const bytes = Math.max(bytesDone, record.bytesTransferred);
        if (ms > 0 && bytes > 0) facts.push(`${formatBytes((bytes * 1000) / ms)}/s average`);
      }
    }
  }
  return facts;
}

/**
 * What a transfer was, in the words of the space: a download names the space and the paths asked
 * for ("From Finance: /q1/report.pdf, /q2/ and 3 more"), an upload where it went.
 */
export function describeTransfer(record: Pick<TransferRecord, 'direction' | 'paths' | 'folder'>, spaceName: string | undefined): string {
  const space = spaceName ?? 'a space';
  if (record.direction === 'upload') return `To ${space}, ${record.folder === '/' ? 'its top folder' : record.folder}`;
  const named = record.paths.slice(0, NAMED_PATHS).map((p) => (p === '/' ? 'all files' : p));
  const more = record.paths.length - named.length;
  return `From ${space}: ${named.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}
