import { createHash, randomUUID } from 'node:crypto';
import type { User } from '../../../contract/session';
import type { CreateTransferRequest, CreateTransferResponse } from '../../../contract/transfers';
import type { Db } from '../../db/database';
import type { IdempotencyKeysTable } from '../../db/schema';
import { ERRORS } from '../../errors';
import type { TransferRow } from './transfers-repository';

export type IdempotencyKeyRow = IdempotencyKeysTable;

/** How long a key names its request (docs/api.md §8): a repeat after this is a new request. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 3600_000;

/**
 * A claim whose request has recorded nothing after this long is taken over by the next repeat: its
 * instance died mid-request (docs/api.md §8). Short, because the SPA retries for about ten seconds;
 * safe however short, because a takeover records under the claim's own transfer id, which the
 * transfers' primary key keeps to one record even if the first request was only slow.
 */
export const CLAIM_TAKEOVER_MS = 5_000;

export interface KeyRef {
  userId: string;
  operation: string;
  key: string;
}

/** SHA-256 of the body as JSON with its object keys sorted: the same request, however serialized. */
export function requestFingerprint(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export function createIdempotencyKeys(db: Db) {
  const find = (ref: KeyRef) =>
    db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', ref.userId)
      .where('operation', '=', ref.operation)
      .where('key', '=', ref.key)
      .executeTakeFirst();

  return {
    /**
     * Claims the key for a new request, or answers the row that holds it already. The primary key
     * decides between two instances claiming at once: one insert wins, the other reads its row.
     */
    async claim(
      ref: KeyRef,
      fingerprint: string,
      transferId: string,
      now: number,
    ): Promise<{ claimed: true; row: IdempotencyKeyRow } | { claimed: false; row: IdempotencyKeyRow }> {
      const row: IdempotencyKeyRow = {
        user_id: ref.userId,
        operation: ref.operation,
        key: ref.key,
        fingerprint,
        transfer_id: transferId,
        created_at: now,
        claimed_at: now,
      };
      // Gone between the insert and the read (released by a failed request, or purged): claim again.
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const inserted = await db
          .insertInto('idempotency_keys')
          .values(row)
          .onConflict((oc) => oc.columns(['user_id', 'operation', 'key']).doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { claimed: true, row };
        const existing = await find(ref);
        if (existing) return { claimed: false, row: existing };
      }
      throw new Error('An Idempotency-Key could be neither claimed nor read.');
    },

    /** Takes over a stale claim (compare-and-set on its claim time): true if this caller now holds it. */
    async takeOver(row: IdempotencyKeyRow, now: number): Promise<boolean> {
      const result = await db
        .updateTable('idempotency_keys')
        .set({ claimed_at: now })
        .where('user_id', '=', row.user_id)
        .where('operation', '=', row.operation)
        .where('key', '=', row.key)
        .where('claimed_at', '=', row.claimed_at)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /**
     * Lets the key go, if this claim still holds it: the request failed (an error is answered, not
     * stored), so a repeat runs it afresh; an expired row likewise, to be claimed anew.
     */
    async release(row: Pick<IdempotencyKeyRow, 'user_id' | 'operation' | 'key' | 'claimed_at'>): Promise<void> {
      await db
        .deleteFrom('idempotency_keys')
        .where('user_id', '=', row.user_id)
        .where('operation', '=', row.operation)
        .where('key', '=', row.key)
        .where('claimed_at', '=', row.claimed_at)
        .execute();
    },

    /** Deletes keys created before `before`; returns how many (the hourly cleanup, server/app.ts). */
    async purgeCreatedBefore(before: number): Promise<number> {
      const result = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type IdempotencyKeys = ReturnType<typeof createIdempotencyKeys>;

/**
 * Which record a request authorizes: a new one under `id`, or, for a repeat of an Idempotency-Key
 * (docs/api.md §8), the `existing` record the first request made, which gets a fresh spec and no twin.
 */
export interface Order {
  id: string;
  existing?: TransferRow | undefined;
}

/** The operation an Idempotency-Key of `POST /api/transfers` is scoped to. */
const CREATE_OPERATION = 'POST /api/transfers';

/**
 * `POST /api/transfers` with an Idempotency-Key (docs/api.md §8): the first request claims the key
 * and records the transfer as any other; a repeat with the same body answers that record with a
 * fresh spec from the node (the spec is a bearer token: never stored); one with another body is
 * refused (422); one arriving while the first still runs is told to come back (409, Retry-After),
 * unless the first has recorded nothing for CLAIM_TAKEOVER_MS: its instance died, the repeat takes
 * the claim over under the same transfer id. A request that fails lets its key go: an error is
 * answered, not stored, so a repeat runs afresh.
 */
export async function createOnce(
  deps: {
    keys: IdempotencyKeys;
    find: (id: string) => Promise<TransferRow | undefined>;
    authorize: (user: User, request: CreateTransferRequest, order: Order) => Promise<CreateTransferResponse>;
  },
  user: User,
  request: CreateTransferRequest,
  key: string,
): Promise<CreateTransferResponse> {
  const { keys, find, authorize } = deps;
  const fingerprint = requestFingerprint(request);
  const ref = { userId: user.id, operation: CREATE_OPERATION, key };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const now = Date.now();
    const { claimed, row } = await keys.claim(ref, fingerprint, randomUUID(), now);
    if (!claimed && row.created_at <= now - IDEMPOTENCY_WINDOW_MS) {
      // Past its day, not yet purged: the key is free again.
      await keys.release(row);
      continue;
    }
    if (row.fingerprint !== fingerprint) throw ERRORS.IdempotencyKeyReused();
    if (!claimed) {
      const existing = await find(row.transfer_id);
      if (existing) return authorize(user, request, { id: existing.id, existing });
      if (row.claimed_at > now - CLAIM_TAKEOVER_MS || !(await keys.takeOver(row, now))) throw ERRORS.IdempotencyKeyInUse();
    }
    const holding = { ...row, claimed_at: now };
    try {
      return await authorize(user, request, { id: row.transfer_id });
    } catch (error) {
      await keys.release(holding);
      throw error;
    }
  }
  throw ERRORS.IdempotencyKeyInUse();
}
