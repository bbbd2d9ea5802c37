import { sql, type Kysely } from 'kysely';

/**
 * One personal space per user. Two first requests at once (two tabs, a login racing a listing)
 * could each create one: the oldest is kept, the later ones' transfers and members move to it,
 * and a unique index stops it happening again (NULL owners, the shared spaces, stay unlimited).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const keeper = sql`(select k.id from spaces k where k.owner_user_id = d.owner_user_id order by k.created_at, k.id limit 1)`;
  const duplicates = sql`select d.id from spaces d where d.owner_user_id is not null and d.id <> ${keeper}`;
  await sql`update transfers set space_id = (select ${keeper} from spaces d where d.id = transfers.space_id)
    where space_id in (${duplicates})`.execute(db);
  await sql`insert into space_members (space_id, principal_type, principal_id, role)
    select ${keeper}, m.principal_type, m.principal_id, m.role from space_members m join spaces d on d.id = m.space_id
    where d.id in (${duplicates})
    on conflict do nothing`.execute(db);
  await sql`delete from spaces where id in (select id from (${duplicates}) as later)`.execute(db);
  await db.schema.dropIndex('spaces_owner').execute();
  await db.schema.createIndex('spaces_owner').on('spaces').column('owner_user_id').unique().execute();
}
