import { randomBytes } from 'node:crypto';
import { hashPassword } from './password';
import type { UsersRepository } from './users-repository';

/**
 * Creates the `admin` account on first start. Returns the generated password when none was
 * configured, so the launcher can print it once; it is stored only as a hash.
 */
export async function ensureAdminAccount(
  users: UsersRepository,
  configuredPassword: string | undefined,
): Promise<{ created: boolean; generatedPassword?: string }> {
  if (await users.findByUsername('admin')) return { created: false };
  const password = configuredPassword ?? randomBytes(12).toString('base64url');
  try {
    await users.create({ username: 'admin', displayName: 'Administrator', passwordHash: await hashPassword(password), isAdmin: true });
  } catch (error) {
    // Instances started together on one database all find no admin; one creates it and the others'
    // inserts break the unique username, which means it exists (docs/deployment.md §6).
    if (await users.findByUsername('admin')) return { created: false };
    throw error;
  }
  return configuredPassword ? { created: true } : { created: true, generatedPassword: password };
}
