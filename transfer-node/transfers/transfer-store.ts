/**
 * Transfer records in SQLite (`<stateDir>/transfers.db`) plus the live, in-memory state of running
 * transfers. Every create or status change takes the next `seq`, which is the iteration token of
 * `GET /ops/transfers` (docs/node-api.md §5): a client that keeps the last token sees only newer changes.
 * Byte counts of running transfers change in memory only, so a busy transfer never writes per chunk.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { isActive, nowUsec, type TransferRecord, type TransferStatus } from './transfer-record';

const RETENTION_DAYS = 30;
const PRUNE_INTERVAL_MS = 3600_000;

export interface LiveTransfer {
  record: TransferRecord;
  /** Aborted when the transfer is canceled through the Node API. */
  abort: AbortController;
}

export interface ListQuery {
  afterSeq: number;
  count: number;
  activeOnly?: boolean;
  direction?: 'send' | 'receive';
  /** docs/node-api.md §5 `tag`: `key.path` (present) or `key.path=value` (equal), matched in `tags`. */
  tag?: { path: string[]; value?: string };
  /** Only the transfers set up under this access key (docs/node-api.md §6.4). */
  accessKey?: string;
}

export class TransferStore {
  private readonly db: Database.Database;
  private readonly live = new Map<string, LiveTransfer>();
  private seq: number;
  private readonly pruneTimer: NodeJS.Timeout;

  constructor(stateDir: string) {
    const file = join(stateDir, 'transfers.db');
    // Created 0600 before SQLite opens it (records hold paths, users and client addresses); SQLite
    // gives its -wal and -shm files the database file's mode. Older installations made them 0644.
    closeSync(openSync(file, 'a', 0o600));
    for (const f of [file, `${file}-wal`, `${file}-shm`]) chmodIfPresent(f);
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS transfers (
      id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, status TEXT NOT NULL, direction TEXT NOT NULL, record TEXT NOT NULL)`);
    this.seq = (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM transfers').get() as { s: number }).s;
    // docs/node-api.md §5.2: the transfer events of GET /events, each with the record as it was then.
    this.db.exec(`CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, time_usec INTEGER NOT NULL, type TEXT NOT NULL, access_key TEXT, record TEXT NOT NULL)`);
    this.failInterrupted();
    this.prune();
    this.pruneTimer = setInterval(() => this.prune(), PRUNE_INTERVAL_MS).unref();
  }

  /**
   * Forgets finished transfers older than the retention (HSTS keeps activity ~1.5 days by default,
   * docs/node-api.md §5; the portal keeps its own history, so 30 days is generous). Returns the count.
   */
  prune(now = nowUsec()): number {
    const cutoff = now - RETENTION_DAYS * 86400 * 1e6;
    this.db.prepare('DELETE FROM events WHERE time_usec < ?').run(cutoff);
    return this.db.prepare("DELETE FROM transfers WHERE status <> 'running' AND json_extract(record, '$.endUsec') < ?").run(cutoff).changes;
  }

  /** Transfers that were running when the process died did not complete: say so. */
  private failInterrupted(): void {
    const rows = this.db.prepare("SELECT record FROM transfers WHERE status = 'running'").all() as { record: string }[];
    for (const row of rows) {
      const record = JSON.parse(row.record) as TransferRecord;
      const failed: TransferRecord = {
        ...record,
        status: 'failed',
        endUsec: nowUsec(),
        errorCode: 500,
        errorDesc: 'The node stopped during the transfer',
      };
      this.save(failed);
      this.event(failed, 'ended');
    }
  }

  private save(record: TransferRecord): void {
    this.seq += 1;
    this.db
      .prepare('INSERT OR REPLACE INTO transfers (id, seq, status, direction, record) VALUES (?, ?, ?, ?, ?)')
      .run(record.id, this.seq, record.status, record.direction, JSON.stringify(record));
  }

  begin(
    init: Omit<
      TransferRecord,
      | 'id'
      | 'status'
      | 'startUsec'
      | 'endUsec'
      | 'errorCode'
      | 'errorDesc'
      | 'files'
      | 'filesCompleted'
      | 'filesFailed'
      | 'bytesTransferred'
    >,
  ): LiveTransfer {
    const record: TransferRecord = {
      ...init,
      id: randomUUID(),
      status: 'running',
      startUsec: nowUsec(),
      endUsec: 0,
      bytesTransferred: 0,
      filesCompleted: 0,
      filesFailed: 0,
      errorCode: 0,
      errorDesc: '',
      files: [],
    };
    const live = { record, abort: new AbortController() };
    this.live.set(record.id, live);
    this.save(record);
    this.event(record, 'started');
    return live;
  }

  finish(live: LiveTransfer, status: Exclude<TransferStatus, 'running'>, error?: { code: number; message: string }): void {
    if (!this.live.has(live.record.id)) return;
    this.live.delete(live.record.id);
    const record = live.record;
    record.status = status;
    record.endUsec = nowUsec();
    if (error) {
      record.errorCode = error.code;
      record.errorDesc = error.message;
    }
    for (const file of record.files) {
      if (file.status === 'transferring') {
        file.status = status === 'completed' ? 'completed' : 'failed';
        file.endUsec = record.endUsec;
      }
    }
    this.save(record);
    this.event(record, 'ended');
  }

  /** Cancels a running transfer; false when it is unknown or already over. */
  cancel(id: string): boolean {
    const live = this.live.get(id);
    if (!live) return false;
    this.finish(live, 'canceled', { code: 499, message: 'Canceled through the Node API' });
    live.abort.abort();
    return true;
  }

  get(id: string): TransferRecord | null {
    const live = this.live.get(id);
    if (live) return live.record;
    const row = this.db.prepare('SELECT record FROM transfers WHERE id = ?').get(id) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as TransferRecord) : null;
  }

  list(query: ListQuery): { records: TransferRecord[]; lastSeq: number } {
    const where = ['seq > ?'];
    const params: (string | number)[] = [query.afterSeq];
    if (query.activeOnly !== undefined) where.push(query.activeOnly ? "status = 'running'" : "status <> 'running'");
    if (query.direction) {
      where.push('direction = ?');
      params.push(query.direction);
    }
    if (query.accessKey !== undefined) {
      where.push("json_extract(record, '$.accessKey') = ?");
      params.push(query.accessKey);
    }
    if (query.tag) {
      // Each key is quoted in the JSON path, so dots or quotes inside keys cannot change its shape.
      const jsonPath = '$.tags' + query.tag.path.map((k) => `."${k.replace(/["\\]/g, '')}"`).join('');
      if (query.tag.value === undefined) {
        where.push('json_extract(record, ?) IS NOT NULL');
        params.push(jsonPath);
      } else {
        where.push('CAST(json_extract(record, ?) AS TEXT) = ?');
        params.push(jsonPath, query.tag.value);
      }
    }
    const rows = this.db
      .prepare(`SELECT seq, id, record FROM transfers WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
      .all(...params, query.count) as { seq: number; id: string; record: string }[];
    const records = rows.map((row) => this.live.get(row.id)?.record ?? (JSON.parse(row.record) as TransferRecord));
    return { records, lastSeq: rows.length > 0 ? (rows[rows.length - 1] as { seq: number }).seq : query.afterSeq };
  }

  /** `upload.*` for a transfer into this node's storage or out of it by this node (S6 send), `download.*` the other way. */
  private event(record: TransferRecord, phase: 'started' | 'ended'): void {
    const kind = record.direction === 'send' ? 'upload' : 'download';
    // The file list stays out: an event is a summary, and 1,000 files per event would bloat the log.
    this.db
      .prepare('INSERT INTO events (time_usec, type, access_key, record) VALUES (?, ?, ?, ?)')
      .run(nowUsec(), `${kind}.${phase}`, record.accessKey ?? null, JSON.stringify({ ...record, files: [] }));
  }

  /** Events after `afterSeq` (and after `afterUsec`), oldest first, of the given types, seen by `accessKey` when set. */
  events(query: { afterSeq: number; afterUsec?: number; count: number; types: readonly string[]; accessKey?: string }) {
    if (query.types.length === 0) return { events: [], lastSeq: query.afterSeq };
    const where = ['seq > ?', `type IN (${query.types.map(() => '?').join(', ')})`];
    const params: (string | number)[] = [query.afterSeq, ...query.types];
    if (query.afterUsec !== undefined) {
      where.push('time_usec > ?');
      params.push(query.afterUsec);
    }
    if (query.accessKey !== undefined) {
      where.push('access_key = ?');
      params.push(query.accessKey);
    }
    const rows = this.db
      .prepare(`SELECT seq, time_usec, type, record FROM events WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`)
      .all(...params, query.count) as { seq: number; time_usec: number; type: string; record: string }[];
    const events = rows.map((row) => ({
      seq: row.seq,
      timeUsec: row.time_usec,
      type: row.type,
      record: JSON.parse(row.record) as TransferRecord,
    }));
    return { events, lastSeq: rows.length > 0 ? (rows[rows.length - 1] as { seq: number }).seq : query.afterSeq };
  }

  activeCount(): number {
    return [...this.live.values()].filter((l) => isActive(l.record.status)).length;
  }

  /** Fails and aborts everything still running (the node is closing). */
  abortAll(message: string): void {
    for (const live of [...this.live.values()]) {
      this.finish(live, 'failed', { code: 503, message });
      live.abort.abort();
    }
  }

  close(): void {
    clearInterval(this.pruneTimer);
    this.abortAll('The node was shut down');
    this.db.close();
  }
}

function chmodIfPresent(file: string): void {
  try {
    chmodSync(file, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
