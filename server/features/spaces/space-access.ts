import { ROLES, roleAllows, type Operation, type Role } from '../../../contract/spaces';
import type { User } from '../../../contract/session';
import { ERRORS } from '../../errors';
import type { AuditLog } from '../audit/audit-log';
import { normalizeSpacePath } from './space-path';
import type { SpaceRow, SpacesRepository } from './spaces-repository';

export interface SpaceGrant {
  space: SpaceRow;
  role: Role;
}

/**
 * The one gate every file operation and transfer passes: the caller's effective role in the space
 * (highest of direct, group and owner grants; admins manage every space) must allow the
 * operation. Each decision goes to the audit log. A space the caller cannot see answers "not found",
 * so space ids cannot be probed.
 */
export function createSpaceAccess(spaces: SpacesRepository, audit: AuditLog) {
  async function roleIn(user: User, spaceId: string): Promise<SpaceGrant | null> {
    const space = await spaces.find(spaceId);
    if (!space) return null;
    if (user.isAdmin) return { space, role: 'manager' };
    const grants = (await spaces.rolesOf(user.id)).filter((g) => g.space.id === spaceId);
    if (grants.length === 0) return null;
    const role = grants.map((g) => g.role).reduce((a, b) => (ROLES.indexOf(a) >= ROLES.indexOf(b) ? a : b));
    return { space, role };
  }

  return {
    roleIn,

    /** Spaces the user may see with their role, personal space first. */
    async visibleSpaces(user: User): Promise<SpaceGrant[]> {
      const grants = user.isAdmin
        ? (await spaces.listAll()).map((space) => ({ space, role: 'manager' as Role }))
        : await spaces.rolesOf(user.id);
      const best = new Map<string, SpaceGrant>();
      for (const g of grants) {
        const seen = best.get(g.space.id);
        if (!seen || ROLES.indexOf(g.role) > ROLES.indexOf(seen.role)) best.set(g.space.id, g);
      }
      return [...best.values()].sort(
        (a, b) =>
          Number(b.space.owner_user_id === user.id) - Number(a.space.owner_user_id === user.id) || a.space.name.localeCompare(b.space.name),
      );
    },

    async authorize(user: User, spaceId: string, operation: Operation, target: string | null): Promise<SpaceGrant> {
      const grant = await roleIn(user, spaceId);
      const allowed = grant !== null && roleAllows(grant.role, operation);
      await audit.record({
        userId: user.id,
        action: operation,
        spaceId,
        target,
        decision: allowed ? 'allow' : 'deny',
        reason: grant === null ? 'not a member' : allowed ? `role ${grant.role}` : `role ${grant.role} may not ${operation}`,
      });
      if (grant === null) throw ERRORS.SpaceNotFound();
      if (!allowed) throw ERRORS.Forbidden(describe(operation));
      return grant;
    },

    /**
     * The normalized space path of `raw`; a refused one (an escape, a control character) is
     * written to the audit log as a denial before the error reaches the caller.
     */
    async confine(user: User, spaceId: string, operation: Operation, raw: string): Promise<string> {
      try {
        return normalizeSpacePath(raw);
      } catch (error) {
        await audit.record({
          userId: user.id,
          action: operation,
          spaceId,
          target: raw,
          decision: 'deny',
          reason: (error as Error).message,
        });
        throw error;
      }
    },
  };
}

export type SpaceAccess = ReturnType<typeof createSpaceAccess>;

function describe(operation: Operation): string {
  const words: Record<Operation, string> = {
    list: 'see this folder',
    download: 'download from this space',
    upload: 'upload to this space',
    mkdir: 'create folders in this space',
    rename: 'rename in this space',
    delete: 'delete in this space',
    manageMembers: 'manage the members of this space',
  };
  return words[operation];
}
