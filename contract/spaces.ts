import { z } from 'zod';

/** Roles in increasing power: each includes what the ones before it may do. */
export const ROLES = ['viewer', 'contributor', 'manager'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** What each operation needs; the SPA hides what the role does not allow, the server refuses it. */
export const OPERATION_ROLES = {
  list: 'viewer',
  download: 'viewer',
  upload: 'contributor',
  mkdir: 'contributor',
  rename: 'contributor',
  delete: 'manager',
  manageMembers: 'manager',
} as const satisfies Record<string, Role>;
export type Operation = keyof typeof OPERATION_ROLES;

export function roleAllows(role: Role | null, operation: Operation): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(OPERATION_ROLES[operation]);
}

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
