import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/database';

/**
 * Once-only work across portal instances (docs/deployment.md §3). Each kind of work (following the
 * nodes' transfers, a periodic job) has a row in `leases`; the instance named in it runs the work
 * until `expires_at`, renewing as it goes. Taking a lease is one atomic upsert that succeeds only when
 * the row is free, lapsed, or already ours, so two instances never both hold it. On SQLite (one
 * process) the only instance always holds every lease.
 *
 * Expiry is compared with each instance's own clock: instances must keep their clocks in step (NTP),
 * well within the lease's length.
 */
export function createLeases(options: { db: Db; ttlMs: number; log: FastifyBaseLogger; holder?: string }) {
  const { db, ttlMs, log } = options;
  const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  /** Leases this instance believes it holds: released on shutdown. */
  const held = new Set<string>();
  let closed = false;

  /** Takes or renews `name` for ttlMs; true when this instance now holds it. */
  async function acquire(name: string): Promise<boolean> {
    if (closed) return false;
    const now = Date.now();
    const row = await db
      .insertInto('leases')
      .values({ name, holder, expires_at: now + ttlMs, acquired_at: now })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet((eb) => ({
            holder: eb.ref('excluded.holder'),
            expires_at: eb.ref('excluded.expires_at'),
            acquired_at: eb
              .case()
              .when('leases.holder', '=', holder)
              .then(eb.ref('leases.acquired_at'))
              .else(eb.ref('excluded.acquired_at'))
              .end(),
          }))
          .where((eb) => eb.or([eb('leases.holder', '=', holder), eb('leases.expires_at', '<', now)])),
      )
      .returning(['holder', 'acquired_at'])
      .executeTakeFirst();
    if (row) {
      if (!held.has(name)) {
        held.add(name);
        log.info({ lease: name, holder }, 'lease taken: this instance now runs it');
      }
      return true;
    }
    if (held.delete(name)) log.warn({ lease: name, holder }, 'lease lost: another instance took it after it lapsed');
    return false;
  }

  async function release(name: string): Promise<void> {
    held.delete(name);
    await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  return {
    holder,
    acquire,
    release,
    /** The leases this instance holds now (as far as it knows). */
    held: (): string[] => [...held],
    /**
     * Runs `work` only while this instance holds `name`, renewing the lease every third of its
     * length while the work runs (a pass over a slow node may take longer than the lease). Answers
     * whether it ran.
     */
    async run(name: string, work: () => Promise<void>): Promise<boolean> {
      if (!(await acquire(name))) return false;
      const renew = setInterval(
        () => void acquire(name).catch((err: unknown) => log.warn({ err, lease: name }, 'lease not renewed')),
        Math.max(500, Math.floor(ttlMs / 3)),
      );
      renew.unref();
      try {
        await work();
      } finally {
        clearInterval(renew);
      }
      return true;
    },
    /** On shutdown: take no more leases and give back those held, so another instance takes over at once. */
    async close(): Promise<void> {
      closed = true;
      for (const name of [...held]) await release(name).catch((err: unknown) => log.warn({ err, lease: name }, 'lease not released'));
    },
  };
}

export type Leases = ReturnType<typeof createLeases>;
