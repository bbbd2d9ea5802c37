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
