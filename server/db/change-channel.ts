import { randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import type { Db } from './database';

// A lost LISTEN connection (the database restarted) is opened again after this long; meanwhile the
// readers' own polling still sees every change, only later (docs/deployment.md §4).
const RECONNECT_MS = 1000;

/**
 * Tells the other portal instances on one PostgreSQL database that something changed, so they look
 * now rather than at their next poll (PostgreSQL LISTEN/NOTIFY: docs/deployment.md §4). It carries
 * no data, only "look": the database stays the truth, and a lost notification costs latency, never
 * an event. On SQLite there is one process and nothing to tell.
 */
export function createChangeChannel(options: { databaseUrl?: string; db: Db; log: FastifyBaseLogger; channel: string }) {
  const { databaseUrl, db, log, channel } = options;
  const listeners = new Set<() => void>();
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    return {
      publish: () => undefined,
      subscribe: (l: () => void) => (listeners.add(l), () => void listeners.delete(l)),
      start: async () => undefined,
      close: async () => undefined,
    };
  }
  // Our own notifications come back to us too; the sender already looked.
  const self = randomBytes(6).toString('hex');
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect(): Promise<void> {
    const next = new pg.Client({ connectionString: databaseUrl });
    const lost = (err?: unknown) => {
      if (client !== next) return;
      client = undefined;
      void next.end().catch(() => undefined);
      if (closed) return;
      log.warn({ err }, 'change channel lost; listening again shortly');
      retry = setTimeout(() => void connect().catch(() => undefined), RECONNECT_MS);
      retry.unref();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      if (message.channel !== channel || message.payload === self) return;
      for (const listener of listeners) listener();
    });
    client = next;
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (err) {
      lost(err);
    }
  }

  return {
    /** Tells the other instances to look (fire and forget: a failure only delays them). */
    publish(): void {
      void sql`select pg_notify(${channel}, ${self})`.execute(db).catch((err: unknown) => log.warn({ err }, 'change not announced'));
    },
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    start: connect,
    async close(): Promise<void> {
      closed = true;
      clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => undefined);
    },
  };
}

export type ChangeChannel = ReturnType<typeof createChangeChannel>;
