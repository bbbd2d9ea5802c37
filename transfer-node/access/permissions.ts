/**
 * Permissions (docs/node-api.md §6.2): access levels on a file id for a user or group id, within
 * one access key. A permission covers its file and everything below it, and permissions add up:
 * what a bearer-token user may do at a path is the union of the levels of every permission for
 * them or one of their groups on that path or a folder above it. Kept in
 * `<stateDir>/permissions.json`.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ERRORS } from '../errors';
import { isWithin } from '../storage/node-path';
import type { BearerClaims } from './bearer-token';
import { JsonState } from './json-state';

export const ACCESS_LEVELS = ['delete', 'list', 'mkdir', 'preview', 'read', 'rename', 'write'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
// A bound on the state file and on the work of each check.
export const MAX_PERMISSIONS_PER_KEY = 10_000;

const recordSchema = z.object({
  id: z.string(),
  access_key: z.string(),
  file_id: z.string(),
  access_type: z.enum(['user', 'group']),
  access_id: z.string(),
  access_levels: z.array(z.enum(ACCESS_LEVELS)),
  created_by_id: z.string(),
  created_at: z.string(),
  last_updated_at: z.string(),
});
const fileSchema = z.object({ next: z.number().int().min(1), permissions: z.array(recordSchema) });

export type Permission = z.infer<typeof recordSchema>;

export interface NewPermission {
  fileId: string;
  accessType: 'user' | 'group';
  accessId: string;
  accessLevels: AccessLevel[];
  createdById: string;
}

export class Permissions {
  private constructor(private readonly state: JsonState<z.infer<typeof fileSchema>>) {}

  static async open(stateDir: string): Promise<Permissions> {
    return new Permissions(await JsonState.open(join(stateDir, 'permissions.json'), fileSchema, () => ({ next: 1, permissions: [] })));
  }

  list(accessKey: string): Permission[] {
    return this.state.data.permissions.filter((p) => p.access_key === accessKey);
  }

  get(accessKey: string, id: string): Permission | undefined {
    return this.state.data.permissions.find((p) => p.access_key === accessKey && p.id === id);
  }

  async create(accessKey: string, input: NewPermission): Promise<Permission> {
    const existing = this.list(accessKey);
    if (existing.length >= MAX_PERMISSIONS_PER_KEY)
      throw ERRORS.badRequest(`An access key holds at most ${MAX_PERMISSIONS_PER_KEY} permissions`);
    const same = existing.find((p) => p.file_id === input.fileId && p.access_type === input.accessType && p.access_id === input.accessId);
    if (same) throw ERRORS.exists(`A permission for this ${input.accessType} on this file already exists: ${same.id}`);
    const now = new Date().toISOString();
    const permission: Permission = {
      id: String(this.state.data.next++),
      access_key: accessKey,
      file_id: input.fileId,
      access_type: input.accessType,
      access_id: input.accessId,
      access_levels: ACCESS_LEVELS.filter((level) => input.accessLevels.includes(level)),
      created_by_id: input.createdById,
      created_at: now,
      last_updated_at: now,
    };
    this.state.data.permissions.push(permission);
    await this.state.save();
    return permission;
  }

  async delete(accessKey: string, id: string): Promise<void> {
    const index = this.state.data.permissions.findIndex((p) => p.access_key === accessKey && p.id === id);
    if (index < 0) throw ERRORS.notFound('No such permission');
    this.state.data.permissions.splice(index, 1);
    await this.state.save();
  }

  /** Every permission of an access key goes with it. */
  async deleteKey(accessKey: string): Promise<void> {
    const before = this.state.data.permissions.length;
    this.state.data.permissions = this.state.data.permissions.filter((p) => p.access_key !== accessKey);
    if (this.state.data.permissions.length !== before) await this.state.save();
  }

  /** The levels `who` holds at the docroot path `nodePath`: inherited from above, cumulative. */
  levelsAt(accessKey: string, who: BearerClaims, nodePath: string, pathOf: (fileId: string) => string | undefined): Set<AccessLevel> {
    const levels = new Set<AccessLevel>();
    for (const p of this.state.data.permissions) {
      if (p.access_key !== accessKey || !appliesTo(p, who)) continue;
      const path = pathOf(p.file_id);
      if (path !== undefined && isWithin(path, nodePath)) for (const level of p.access_levels) levels.add(level);
    }
    return levels;
  }

  /** True when `who` holds any level at or below `nodePath` (a folder on the way to what they may see). */
  anyBelow(accessKey: string, who: BearerClaims, nodePath: string, pathOf: (fileId: string) => string | undefined): boolean {
    return this.state.data.permissions.some((p) => {
      if (p.access_key !== accessKey || !appliesTo(p, who) || p.access_levels.length === 0) return false;
      const path = pathOf(p.file_id);
      return path !== undefined && isWithin(nodePath, path);
    });
  }
}

function appliesTo(p: Permission, who: BearerClaims): boolean {
  return p.access_type === 'user' ? p.access_id === who.userId : who.groupIds.includes(p.access_id);
}
