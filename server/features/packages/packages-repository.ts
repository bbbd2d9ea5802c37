import { sql } from 'kysely';
import type { Db } from '../../db/database';
import type { PackageDownloadsTable, PackageRecipientsTable, PackagesTable, TransfersTable } from '../../db/schema';

export type PackageRow = PackagesTable;
export type RecipientRow = PackageRecipientsTable;

// A box lists at most this many packages, newest first.
const MAX_LISTED = 500;
// The embedded node keeps packages here unless an admin sets its packages root (docs/packages.md §1).
export const EMBEDDED_PACKAGES_ROOT = '/packages';

/** A package as a box lists it, with the sender's name. */
export type ListedPackage = PackageRow & { sender_name: string };

export function createPackagesRepository(db: Db) {
  const withSender = () =>
    db
      .selectFrom('packages')
      .innerJoin('users', 'users.id', 'packages.sender_user_id')
      .selectAll('packages')
      .select('users.display_name as sender_name');

  return {
    async insert(row: PackageRow, recipients: RecipientRow[]): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('packages').values(row).execute();
        if (recipients.length > 0) await tx.insertInto('package_recipients').values(recipients).execute();
      });
    },
    find: (id: string): Promise<ListedPackage | undefined> => withSender().where('packages.id', '=', id).executeTakeFirst(),
    findByUpload: (transferId: string) =>
      db.selectFrom('packages').selectAll().where('upload_transfer_id', '=', transferId).executeTakeFirst(),

    async update(id: string, patch: Partial<Omit<PackageRow, 'id' | 'sender_user_id'>>): Promise<void> {
      await db
        .updateTable('packages')
        .set({ ...patch, updated_at: Date.now() })
        .where('id', '=', id)
        .execute();
    },
    /** Moves a package from `from` to the patch's status only if it is still in `from`; whether it did. */
    async transition(id: string, from: PackageRow['status'], patch: Partial<PackageRow>): Promise<boolean> {
      const result = await db
        .updateTable('packages')
        .set({ ...patch, updated_at: Date.now() })
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    /** Packages `userId` received: ready (or expired) ones only, never one still uploading. */
    inbox(userId: string, filter: { q?: string | undefined; archived: boolean }) {
      let q = withSender()
        .innerJoin('package_recipients', 'package_recipients.package_id', 'packages.id')
        .select(['package_recipients.opened_at as opened_at', 'package_recipients.archived_at as archived_at'])
        .where('package_recipients.user_id', '=', userId)
        .where('packages.status', 'in', ['ready', 'expired'])
        .where('package_recipients.archived_at', filter.archived ? 'is not' : 'is', null);
      if (filter.q)
        q = q.where((eb) => eb.or([like('packages.subject', filter.q as string), like('users.display_name', filter.q as string)]));
      return q.orderBy('packages.created_at', 'desc').orderBy('packages.id').limit(MAX_LISTED).execute();
    },
    async unreadCount(userId: string): Promise<number> {
      const row = await db
        .selectFrom('package_recipients')
        .innerJoin('packages', 'packages.id', 'package_recipients.package_id')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('package_recipients.user_id', '=', userId)
        .where('packages.status', '=', 'ready')
        .where('package_recipients.opened_at', 'is', null)
        .where('package_recipients.archived_at', 'is', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    sent(filter: { senderId?: string; q?: string | undefined; archived: boolean }) {
      let q = withSender().where('packages.status', '!=', 'deleted');
      if (filter.senderId) q = q.where('packages.sender_user_id', '=', filter.senderId);
      q = q.where('packages.sender_archived_at', filter.archived ? 'is not' : 'is', null);
      if (filter.q)
        q = q.where((eb) => eb.or([like('packages.subject', filter.q as string), like('users.display_name', filter.q as string)]));
      return q.orderBy('packages.created_at', 'desc').orderBy('packages.id').limit(MAX_LISTED).execute();
    },

    recipients: (packageId: string) =>
      db
        .selectFrom('package_recipients')
        .leftJoin('users', 'users.id', 'package_recipients.user_id')
        .selectAll('package_recipients')
        .select(['users.display_name as user_name', 'users.email as user_email'])
        .where('package_id', '=', packageId)
        .orderBy('package_recipients.id')
        .execute(),
    recipientOf: (packageId: string, userId: string) =>
      db.selectFrom('package_recipients').selectAll().where('package_id', '=', packageId).where('user_id', '=', userId).executeTakeFirst(),
    async updateRecipient(
      id: string,
      patch: Partial<
        Pick<
          RecipientRow,
          'opened_at' | 'archived_at' | 'notified_at' | 'link_hash' | 'code_hash' | 'code_expires_at' | 'code_attempts' | 'code_sent_at'
        >
      >,
    ): Promise<void> {
      await db.updateTable('package_recipients').set(patch).where('id', '=', id).execute();
    },
    /** An external recipient by the SHA-256 of their personal link's secret. */
    recipientByLink: (linkHash: string) =>
      db.selectFrom('package_recipients').selectAll().where('link_hash', '=', linkHash).where('user_id', 'is', null).executeTakeFirst(),
    /**
     * Takes one try of a recipient's code, if any is left: one conditional UPDATE, so concurrent
     * guesses cannot share a try. Whether a try was taken.
     */
    async takeCodeTry(id: string, maxTries: number): Promise<boolean> {
      const result = await db
        .updateTable('package_recipients')
        .set((eb) => ({ code_attempts: eb('code_attempts', '+', 1) }))
        .where('id', '=', id)
        .where('code_hash', 'is not', null)
        .where('code_attempts', '<', maxTries)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async insertDownload(row: PackageDownloadsTable): Promise<void> {
      await db.insertInto('package_downloads').values(row).execute();
    },
    /** The external recipient a download was for, if it went through a personal link. */
    downloadRecipient: async (transferId: string) =>
      (await db.selectFrom('package_downloads').select('recipient_id').where('transfer_id', '=', transferId).executeTakeFirst())
        ?.recipient_id ?? null,

    /** The downloads of a package, for its receipts; `recipient_id` names an external recipient's. */
    downloads: (
      packageId: string,
    ): Promise<
      Array<Pick<TransfersTable, 'user_id' | 'status' | 'paths_json' | 'bytes_transferred' | 'ended_at'> & { recipient_id: string | null }>
    > =>
      db
        .selectFrom('transfers')
        .leftJoin('package_downloads', 'package_downloads.transfer_id', 'transfers.id')
        .select([
          'transfers.user_id',
          'transfers.status',
          'transfers.paths_json',
          'transfers.bytes_transferred',
          'transfers.ended_at',
          'package_downloads.recipient_id',
        ])
        .where('transfers.package_id', '=', packageId)
        .where('transfers.direction', '=', 'download')
        .orderBy('transfers.created_at')
        .execute(),

    /** Active users by id (not disabled, not deleted): who may receive a package. */
    activeUsers: (ids: string[]) =>
      ids.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('users')
            .select(['id', 'display_name', 'email'])
            .where('id', 'in', ids)
            .where('disabled', '=', 0)
            .where('deleted_at', 'is', null)
            .execute(),
    async groupMembers(groupIds: string[]): Promise<{ groups: string[]; members: Array<{ group_id: string; user_id: string }> }> {
      if (groupIds.length === 0) return { groups: [], members: [] };
      const groups = await db.selectFrom('groups').select('id').where('id', 'in', groupIds).execute();
      const members = await db.selectFrom('group_members').selectAll().where('group_id', 'in', groupIds).execute();
      return { groups: groups.map((g) => g.id), members };
    },
    /** Active users and groups whose name contains `text`, for the recipients picker (20 of each). */
    async directory(text: string) {
      const users = await db
        .selectFrom('users')
        .select(['id', 'display_name as name', 'username'])
        .where('disabled', '=', 0)
        .where('deleted_at', 'is', null)
        .where((eb) => eb.or([like('users.display_name', text), like('users.username', text)]))
        .orderBy('display_name')
        .limit(20)
        .execute();
      const groups = await db
        .selectFrom('groups')
        .select(['id', 'name'])
        .where(like('groups.name', text))
        .orderBy('name')
        .limit(20)
        .execute();
      return { users, groups };
    },
    userName: async (id: string) =>
      (await db.selectFrom('users').select('display_name').where('id', '=', id).executeTakeFirst())?.display_name,

    /**
     * The node that keeps packages and its packages root: the default node, else the first, that
     * has a root set or is the embedded node (`/packages`); null when no node may.
     */
    async packagesNode(): Promise<{ id: string; root: string } | null> {
      const nodes = await db
        .selectFrom('nodes')
        .select(['id', 'kind', 'packages_root', 'is_default'])
        .orderBy('is_default', 'desc')
        .orderBy('created_at')
        .execute();
      for (const node of nodes) {
        const root = node.packages_root ?? (node.kind === 'embedded' ? EMBEDDED_PACKAGES_ROOT : null);
        if (root) return { id: node.id, root };
      }
      return null;
    },
    /** The roots of the spaces on a node, to keep packages outside every one. */
    spaceRoots: async (nodeId: string) =>
      (await db.selectFrom('spaces').select('root_path').where('node_id', '=', nodeId).execute()).map((r) => r.root_path),

    /** Packages past their expiry that no instance holds a claim on, oldest first. */
    due: (now: number, limit: number) =>
      db
        .selectFrom('packages')
        .selectAll()
        .where('status', 'in', ['ready', 'uploading', 'failed'])
        .where('expires_at', '<=', now)
        .where((eb) => eb.or([eb('expiry_lease_until', 'is', null), eb('expiry_lease_until', '<', now)]))
        .orderBy('expires_at')
        .limit(limit)
        .execute(),
    /**
     * Claims a due package for this instance until `leaseUntil`; whether it did. One conditional
     * UPDATE: of two instances racing, PostgreSQL lets one match the row, SQLite runs writes one at a
     * time. An instance that dies mid-way leaves the claim to lapse and the next pass to finish.
     */
    async claimExpiry(id: string, now: number, leaseUntil: number): Promise<boolean> {
      const result = await db
        .updateTable('packages')
        .set({ expiry_lease_until: leaseUntil })
        .where('id', '=', id)
        .where('status', 'in', ['ready', 'uploading', 'failed'])
        .where('expires_at', '<=', now)
        .where((eb) => eb.or([eb('expiry_lease_until', 'is', null), eb('expiry_lease_until', '<', now)]))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}

export type PackagesRepository = ReturnType<typeof createPackagesRepository>;

/** Whether `column` contains `text`, ignoring case; `%` and `_` in the text are literal. */
function like(column: 'packages.subject' | 'users.display_name' | 'users.username' | 'groups.name', text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`;
}
