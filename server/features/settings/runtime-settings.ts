import type { RuntimeSetting, RuntimeSettingKey } from '../../../contract/runtime-settings';
import type { Config } from '../../config';
import { SETTINGS } from '../../config';
import type { Db } from '../../db/database';
import { ERRORS } from '../../errors';
import type { AuditLog } from '../audit/audit-log';

interface Definition {
  label: string;
  min: number;
  max: number;
}

// The bounds keep a typo from locking everyone out (a 5-second idle timeout) or from handing out
// authorizations that outlive any logout (a year-long token).
const DEFINITIONS: Record<RuntimeSettingKey, Definition> = {
  transferTokenLifeSeconds: { label: 'Transfer token life (seconds)', min: 60, max: 7 * 86_400 },
  sessionIdleTimeoutSeconds: { label: 'Session idle timeout (seconds)', min: 60, max: 7 * 86_400 },
  // Share links (docs/sharing.md §9): ten years at most, "never" only when switched on (1).
  shareDefaultExpiryDays: { label: 'Share link default expiry (days)', min: 1, max: 3650 },
  shareMaxExpiryDays: { label: 'Share link maximum expiry (days)', min: 1, max: 3650 },
  shareNeverExpires: { label: 'Share links may never expire (1 yes, 0 no)', min: 0, max: 1 },
  // Only with an identity provider configured (docs/oidc.md §5); admins always keep the form.
  localLoginForm: { label: 'Password login form for everyone (1 yes, 0 admins only, when OIDC is set up)', min: 0, max: 1 },
  // Off unless an admin trusts every configured provider's verified emails (docs/oidc.md §2).
  oidcMatchEmail: { label: 'Link a first OIDC sign-in to the local user with its verified email (1 yes, 0 no)', min: 0, max: 1 },
  // Packages (docs/packages.md §5): off unless an admin lets packages reach people without an account.
  packageExternalRecipients: { label: 'Packages may go to external addresses (1 yes, 0 no)', min: 0, max: 1 },
};
const KEYS = Object.keys(DEFINITIONS) as RuntimeSettingKey[];

interface Stored {
  value: number;
  updatedAt: number;
  updatedBy: string | null;
}

/**
 * Settings safe to change while the portal runs, stored in the database over their environment
 * defaults. `refresh()` runs at the start of every API request, so each request (on every instance
 * sharing the database) uses the values stored before it began, without a restart.
 */
export function createRuntimeSettings(deps: { db: Db; config: Pick<Config, RuntimeSettingKey>; audit: AuditLog }) {
  const { db, config, audit } = deps;
  let stored = new Map<RuntimeSettingKey, Stored>();

  const isKey = (key: string): key is RuntimeSettingKey => key in DEFINITIONS;

  async function refresh(): Promise<void> {
    const rows = await db.selectFrom('runtime_settings').selectAll().execute();
    const next = new Map<RuntimeSettingKey, Stored>();
    for (const row of rows) {
      const value = Number(row.value);
      const definition = isKey(row.key) ? DEFINITIONS[row.key] : undefined;
      // A row out of today's bounds (written by an older version) falls back to the default.
      if (!definition || !Number.isInteger(value) || value < definition.min || value > definition.max) continue;
      next.set(row.key as RuntimeSettingKey, { value, updatedAt: Number(row.updated_at), updatedBy: row.updated_by });
    }
    stored = next;
  }

  function current(key: RuntimeSettingKey): number {
    return stored.get(key)?.value ?? config[key];
  }

  async function list(): Promise<RuntimeSetting[]> {
    await refresh();
    const userIds = [...new Set([...stored.values()].flatMap((s) => (s.updatedBy ? [s.updatedBy] : [])))];
    const users = userIds.length ? await db.selectFrom('users').select(['id', 'username']).where('id', 'in', userIds).execute() : [];
    const names = new Map(users.map((u) => [u.id, u.username]));
    return KEYS.map((key) => {
      const s = stored.get(key);
      const definition = DEFINITIONS[key];
      return {
        key,
        label: definition.label,
        description: SETTINGS[key].doc,
        env: SETTINGS[key].env,
        defaultValue: config[key],
        value: current(key),
        overridden: s !== undefined,
        min: definition.min,
        max: definition.max,
        updatedAt: s ? new Date(s.updatedAt).toISOString() : null,
        updatedBy: s?.updatedBy ? (names.get(s.updatedBy) ?? null) : null,
      };
    });
  }

  /** Stores `value` (null: back to the default), audited. */
  async function set(key: RuntimeSettingKey, value: number | null, adminId: string): Promise<RuntimeSetting> {
    const definition = DEFINITIONS[key];
    if (value !== null && (value < definition.min || value > definition.max))
      throw ERRORS.BadRequest(`${definition.label} must be between ${definition.min} and ${definition.max}.`);
    const before = current(key);
    if (value === null) {
      await db.deleteFrom('runtime_settings').where('key', '=', key).execute();
    } else {
      const row = { key, value: String(value), updated_at: Date.now(), updated_by: adminId };
      await db
        .insertInto('runtime_settings')
        .values(row)
        .onConflict((oc) => oc.column('key').doUpdateSet({ value: row.value, updated_at: row.updated_at, updated_by: row.updated_by }))
        .execute();
    }
    await refresh();
    await audit.record({
      userId: adminId,
      action: 'setting-change',
      target: `${key}: ${before} -> ${value === null ? `default (${config[key]})` : value}`,
      decision: 'allow',
    });
    const changed = (await list()).find((s) => s.key === key);
    if (!changed) throw new Error(`unknown setting ${key}`);
    return changed;
  }

  return { refresh, current, list, set };
}

export type RuntimeSettings = ReturnType<typeof createRuntimeSettings>;
