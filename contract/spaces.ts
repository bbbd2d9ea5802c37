import { z } from 'zod';
import { ROLES } from './roles';

export { OPERATION_ROLES, ROLES, roleAllows, type Operation, type Role } from './roles';

export const roleSchema = z.enum(ROLES);

export const spaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  personal: z.boolean(),
  /** The caller's effective role in this space. */
  role: roleSchema,
});
export type Space = z.infer<typeof spaceSchema>;

export const principalTypeSchema = z.enum(['user', 'group']);

export const spaceMemberSchema = z.object({
  principalType: principalTypeSchema,
  principalId: z.string(),
  name: z.string(),
  role: roleSchema,
});
export type SpaceMember = z.infer<typeof spaceMemberSchema>;

// Control characters: PostgreSQL refuses NUL in text, and the others only hide what a name says.
const spaceName = z
  .string()
  .trim()
  .min(1, 'Enter a name')
  .max(200)
  .regex(/^\P{Cc}*$/u, 'A name may not contain control characters');

export const createSpaceRequestSchema = z.object({
  name: spaceName,
  /** Node to put the space on; default: the default node. */
  nodeId: z.string().optional(),
  /**
   * Folder on the node; default: a new one, /spaces/<name as a slug>-<random id>. Refused when it
   * equals, contains or lies inside another space's folder on the node, or lies under /home.
   */
  rootPath: z.string().max(4096).optional(),
});

export const putSpaceMemberRequestSchema = z.object({
  principalType: principalTypeSchema,
  principalId: z.string().min(1),
  role: roleSchema,
});

/** Spaces in one folder, or one inside another's: left from before roots were checked, for an admin to resolve. */
export const spaceRootConflictSchema = z.object({
  nodeId: z.string(),
  nodeName: z.string(),
  kind: z.enum(['same-folder', 'nested']),
  /** same-folder: every space on that folder, oldest first; nested: the outer space, then the inner. */
  spaces: z.array(
    z.object({ id: z.string(), name: z.string(), rootPath: z.string(), personal: z.boolean(), ownerUsername: z.string().nullable() }),
  ),
});
export type SpaceRootConflict = z.infer<typeof spaceRootConflictSchema>;

/** A space as the admin console lists it: where it lives and how many members it has. */
export const adminSpaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  personal: z.boolean(),
  /** The owner of a personal space; null for a shared one (or a deleted owner). */
  ownerUsername: z.string().nullable(),
  nodeId: z.string(),
  nodeName: z.string(),
  rootPath: z.string(),
  memberCount: z.number().int(),
});
export type AdminSpace = z.infer<typeof adminSpaceSchema>;

export const adminSpacesQuerySchema = z.object({
  /** Part of the name or folder, case-insensitive. */
  q: z.string().trim().max(200).optional(),
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const adminSpacesPageSchema = z.object({ spaces: z.array(adminSpaceSchema), total: z.number().int() });
export type AdminSpacesPage = z.infer<typeof adminSpacesPageSchema>;

/** Renames a space; its folder on the node stays where it is. */
export const updateSpaceRequestSchema = z.object({ name: spaceName });

/**
 * Deletes a space. `files: 'delete'` also deletes its folder on the node, and requires `confirmName`
 * to be the space's name as typed by the admin; `keep` leaves the folder on the node.
 */
export const deleteSpaceQuerySchema = z.object({
  files: z.enum(['keep', 'delete']),
  confirmName: z.string().max(200).optional(),
});

/** Someone a manager may add to a space: a user (by username and display name) or a group. */
export const memberCandidateSchema = z.object({
  principalType: principalTypeSchema,
  principalId: z.string(),
  name: z.string(),
  /** A user's username; null for a group. */
  username: z.string().nullable(),
});
export type MemberCandidate = z.infer<typeof memberCandidateSchema>;

export const memberCandidatesQuerySchema = z.object({ q: z.string().trim().min(1).max(200) });
