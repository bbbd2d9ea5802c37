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

const spaceName = z.string().trim().min(1, 'Enter a name').max(200);

export const createSpaceRequestSchema = z.object({
  name: spaceName,
  /** Node to put the space on; default: the default node. */
  nodeId: z.string().optional(),
  /** Folder on the node; default: /spaces/<name>. */
  rootPath: z.string().max(4096).optional(),
});

export const putSpaceMemberRequestSchema = z.object({
  principalType: principalTypeSchema,
  principalId: z.string().min(1),
  role: roleSchema,
});
