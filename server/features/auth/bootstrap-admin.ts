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
  await users.create({ username: 'admin', displayName: 'Administrator', passwordHash: await hashPassword(password), isAdmin: true });
  return configuredPassword ? { created: true } : { created: true, generatedPassword: password };
}
