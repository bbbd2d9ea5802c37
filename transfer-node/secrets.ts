/**
 * The node's secrets file (`<stateDir>/secrets.json`, mode 0600): the token key generated on first
 * start, the node id, and generated node credentials. Written atomically (temp file + rename) so
 * a crash during first start never leaves a half-written key that would orphan issued tokens.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({
  node_id: z.string().min(1),
  token_key: z.string().min(1),
  node_user: z.string().optional(),
  node_password: z.string().optional(),
});

export interface NodeSecrets {
  nodeId: string;
  tokenKey: Buffer;
  nodeUser?: string;
  nodePassword?: string;
}

export function secretsPath(stateDir: string): string {
  return join(stateDir, 'secrets.json');
}

async function read(stateDir: string): Promise<NodeSecrets | null> {
  let text: string;
  try {
    text = await readFile(secretsPath(stateDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const parsed = secretsSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`${secretsPath(stateDir)} is not a valid node secrets file`);
  const key = Buffer.from(parsed.data.token_key, 'base64');
  if (key.length !== 32) throw new Error(`${secretsPath(stateDir)}: token_key must be 32 bytes`);
  return { nodeId: parsed.data.node_id, tokenKey: key, nodeUser: parsed.data.node_user, nodePassword: parsed.data.node_password };
}

/** True when a start without explicit credentials will reuse stored ones (the CLI prints new ones once). */
export async function hasStoredCredentials(stateDir: string): Promise<boolean> {
  const secrets = await read(stateDir);
  return Boolean(secrets?.nodeUser && secrets.nodePassword);
}

export async function loadOrCreateSecrets(stateDir: string, wantStoredCredentials: boolean): Promise<NodeSecrets> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const existing = await read(stateDir);
  const secrets: NodeSecrets = existing ?? { nodeId: randomUUID(), tokenKey: randomBytes(32) };
  let changed = !existing;
  if (wantStoredCredentials && !(secrets.nodeUser && secrets.nodePassword)) {
    secrets.nodeUser = 'node_admin';
    secrets.nodePassword = randomBytes(18).toString('base64url');
    changed = true;
  }
  if (changed) await write(stateDir, secrets);
  await chmod(secretsPath(stateDir), 0o600);
  return secrets;
}

async function write(stateDir: string, secrets: NodeSecrets): Promise<void> {
  const body = JSON.stringify(
    {
      node_id: secrets.nodeId,
      token_key: secrets.tokenKey.toString('base64'),
      node_user: secrets.nodeUser,
      node_password: secrets.nodePassword,
    },
    null,
    2,
  );
  const temp = `${secretsPath(stateDir)}.${process.pid}.tmp`;
  await writeFile(temp, body, { mode: 0o600 });
  await rename(temp, secretsPath(stateDir));
}
