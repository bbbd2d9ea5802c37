import type { FastifyBaseLogger } from 'fastify';
import { composeMail } from './compose-mail';
import type { MailDelivery } from './mail-delivery';
import type { MailQueue } from './mail-queue';

export interface MailWorkerOptions {
  queue: MailQueue;
  delivery: MailDelivery;
  from: string;
  log: FastifyBaseLogger;
  /** The worker's clock, so tests move time instead of waiting for it. */
  now?: () => number;
  /** How often the queue is looked at when nothing nudges the worker (ms). */
  intervalMs?: number;
  /** Attempts before a message is marked failed. */
  maxAttempts?: number;
  /** Wait after the first failure; doubled after each further one, up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * Runs the interval's pass only where it must run: under the mail queue's lease, so one portal
   * instance of several looks at the queue on its own (docs/deployment.md §3). A nudge (a message
   * just queued here) runs at once wherever it happens: the per-row claims keep a message to one sender.
   */
  runOnce?: (pass: () => Promise<void>) => Promise<unknown>;
}

// 8 attempts 30 s apart, doubling: the last is about an hour after the first, long enough to ride
// out a mail server's restart or a short outage, short enough that an admin sees a failure the same day.
export const MAIL_MAX_ATTEMPTS = 8;
const BASE_BACKOFF_MS = 30_000;
const MAX_BACKOFF_MS = 3_600_000;
// A claim lasts longer than the SMTP timeouts of one send (mail-delivery.ts), so a live worker's
// claim never lapses under it; a dead worker's row is taken again after this.
const CLAIM_LEASE_MS = 5 * 60_000;
// Rows taken per look at the queue; the next tick takes the rest.
const BATCH = 20;
const LAST_ERROR_MAX = 500;
// Sent messages are kept a week (an admin asking "did it go?" asks within days), then forgotten,
// at most once an hour, so the table holds the queue and not every message ever sent.
const KEEP_SENT_MS = 7 * 24 * 3_600_000;
const PURGE_EVERY_MS = 3_600_000;

/** The wait before attempt `attempts + 1`, after `attempts` failed ones. */
export function backoffMs(attempts: number, base = BASE_BACKOFF_MS, max = MAX_BACKOFF_MS): number {
  return Math.min(max, base * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers the queue: takes due rows one claim at a time, sends, and records the outcome. A failed
 * send is queued again after a backoff until maxAttempts, then marked failed for an admin to see.
 */
export function createMailWorker(options: MailWorkerOptions) {
  const now = options.now ?? Date.now;
  const maxAttempts = options.maxAttempts ?? MAIL_MAX_ATTEMPTS;
  const base = options.baseBackoffMs ?? BASE_BACKOFF_MS;
  const maxBackoff = options.maxBackoffMs ?? MAX_BACKOFF_MS;
  const { queue, delivery, log } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let again = false;
  let stopped = true;
  let lastPurge = -Infinity;

  async function deliver(id: string): Promise<boolean> {
    const row = await queue.claim(id, now(), now() + CLAIM_LEASE_MS);
    if (!row) return false; // another worker has it
    try {
      await delivery.send(
        composeMail({ id: row.id, to: row.to_address, subject: row.subject, text: row.text, link: row.link }, options.from),
      );
      await queue.markSent(row.id, now());
      return true;
    } catch (err) {
      const message = delivery.redact(err instanceof Error ? err.message : String(err)).slice(0, LAST_ERROR_MAX);
      if (row.attempts >= maxAttempts) {
        await queue.markFailed(row.id, message);
        log.warn({ mailId: row.id, attempts: row.attempts, error: message }, 'mail not delivered: gave up after the last attempt');
      } else {
        const wait = backoffMs(row.attempts, base, maxBackoff);
        await queue.markRetry(row.id, message, now() + wait);
        log.info({ mailId: row.id, attempts: row.attempts, retryInMs: wait, error: message }, 'mail not delivered: will try again');
      }
      return false;
    }
  }

  /** One pass over what is due now; resolves to the number of messages sent. */
  async function tick(): Promise<number> {
    if (now() - lastPurge >= PURGE_EVERY_MS) {
      lastPurge = now();
      await queue.purgeSent(now() - KEEP_SENT_MS);
    }
    let sent = 0;
    for (const id of await queue.due(now(), BATCH)) if (await deliver(id)) sent += 1;
    return sent;
  }

  /** Runs a pass unless one runs; a nudge during a pass runs another right after it. */
  function runSoon(): void {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = tick()
      .catch((err: unknown) => {
        log.warn({ err: err instanceof Error ? delivery.redact(err.message) : 'unknown' }, 'mail queue pass failed');
        return 0;
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          runSoon();
        }
      });
  }

  return {
    tick,
    /** A message was queued: look now rather than at the next interval. */
    nudge: runSoon,
    /** Delivers what is due now, after any pass already running: for a caller that must know it went. */
    async flush(): Promise<void> {
      // A pass queued behind the running one (a nudge) starts as it ends: wait for those too, so
      // nothing claimed is still on its way when this resolves.
      while (running) await running;
      await tick();
      while (running) await running;
    },
    start() {
      stopped = false;
      log.info(`mail: ${delivery.describe()}`);
      const runOnce = options.runOnce;
      const interval = runOnce
        ? () =>
            void runOnce(async () => {
              runSoon();
              while (running) await running;
            }).catch((err: unknown) => log.warn({ err }, 'mail queue lease not taken'))
        : runSoon;
      timer = setInterval(interval, options.intervalMs ?? 5_000);
      timer.unref();
      runSoon();
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
      delivery.close();
    },
  };
}

export type MailWorker = ReturnType<typeof createMailWorker>;
