/**
 * Roles and what each operation needs, without zod: the SPA imports this on its first pages, and
 * the schemas (contract/spaces.ts) would bring zod's ~26 kB gzip along.
 */

/** Roles in increasing power: each includes what the ones before it may do. */
export const ROLES = ['viewer', 'contributor', 'manager'] as const;
export type Role = (typeof ROLES)[number];

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
