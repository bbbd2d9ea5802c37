/**
 * Access keys (docs/node-api.md §1.2): an id, a secret kept only as an scrypt hash, a storage root
 * inside the docroot (a canonical node path) and an optional PEM public key that verifies bearer
 * tokens. Kept in `<stateDir>/access-keys.json` (0600).
 */
import { createHash, createPublicKey, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { ERRORS } from '../errors';
import { JsonState } from './json-state';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

// scrypt's recommended interactive cost (N=2^14, r=8, p=1): ~50 ms a check, so an offline guess
// at a stolen state file is slow; a verified secret is then remembered (below) so the portal's
// many calls do not each pay it.
const SCRYPT = { N: 16384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH_BYTES = 32;
// Ids travel in Basic auth before the colon and in `X-Aspera-AccessKey`.
export const ACCESS_KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
export const MAX_ACCESS_KEYS = 1000;

const recordSchema = z.object({
  id: z.string(),
  secret_hash: z.string(),
  storage_path: z.string(),
  token_verification_key: z.string().optional(),
  configuration: z.record(z.string(), z.unknown()).optional(),
  created_at: z.string(),
});
const fileSchema = z.object({ keys: z.array(recordSchema) });

export type AccessKey = z.infer<typeof recordSchema>;

export interface NewAccessKey {
  id?: string;
  secret?: string;
  storagePath: string;
  tokenVerificationKey?: string;
  configuration?: Record<string, unknown>;
}

export interface AccessKeyChange {
  secret?: string;
  storagePath?: string;
  tokenVerificationKey?: string;
  configuration?: Record<string, unknown>;
}

export class AccessKeys {
  /** sha256 of the secret last verified per key: a cheap check for the calls that follow. */
  private readonly verified = new Map<string, Buffer>();

  private constructor(private readonly state: JsonState<z.infer<typeof fileSchema>>) {}

  static async open(stateDir: string): Promise<AccessKeys> {
    return new AccessKeys(await JsonState.open(join(stateDir, 'access-keys.json'), fileSchema, () => ({ keys: [] })));
  }

  list(): readonly AccessKey[] {
    return this.state.data.keys;
  }

  get(id: string): AccessKey | undefined {
    return this.state.data.keys.find((k) => k.id === id);
  }

  /** Creates a key; answers it with the secret in clear, which is never available again. */
  async create(input: NewAccessKey): Promise<{ key: AccessKey; secret: string }> {
    if (this.state.data.keys.length >= MAX_ACCESS_KEYS) throw ERRORS.badRequest(`A node holds at most ${MAX_ACCESS_KEYS} access keys`);
    const id = input.id ?? randomBytes(24).toString('base64url');
    if (this.get(id)) throw ERRORS.exists('An access key with this id already exists');
    const secret = input.secret ?? randomBytes(32).toString('base64url');
    const key: AccessKey = {
      id,
      secret_hash: await hashSecret(secret),
      storage_path: input.storagePath,
      ...(input.tokenVerificationKey ? { token_verification_key: checkPublicKey(input.tokenVerificationKey) } : {}),
      ...(input.configuration ? { configuration: input.configuration } : {}),
      created_at: new Date().toISOString(),
    };
    this.state.data.keys.push(key);
    await this.state.save();
    return { key, secret };
  }

  async update(id: string, change: AccessKeyChange): Promise<AccessKey> {
    const key = this.get(id);
    if (!key) throw ERRORS.notFound('No such access key');
    if (change.secret !== undefined) {
      key.secret_hash = await hashSecret(change.secret);
      this.verified.delete(id);
    }
    if (change.storagePath !== undefined) key.storage_path = change.storagePath;
    // An empty string removes the key, so bearer tokens stop being accepted at once.
    if (change.tokenVerificationKey === '') delete key.token_verification_key;
    else if (change.tokenVerificationKey !== undefined) key.token_verification_key = checkPublicKey(change.tokenVerificationKey);
    if (change.configuration !== undefined) key.configuration = change.configuration;
    await this.state.save();
    return key;
  }

  async delete(id: string): Promise<void> {
    const index = this.state.data.keys.findIndex((k) => k.id === id);
    if (index < 0) throw ERRORS.notFound('No such access key');
    this.state.data.keys.splice(index, 1);
    this.verified.delete(id);
    await this.state.save();
  }

  /** The key whose id and secret these are, or null. */
  async authenticate(id: string, secret: string): Promise<AccessKey | null> {
    const key = this.get(id);
    if (!key) return null;
    const digest = createHash('sha256').update(secret).digest();
    const known = this.verified.get(id);
    if (known && timingSafeEqual(known, digest)) return key;
    if (!(await verifySecret(secret, key.secret_hash))) return null;
    // The key may have changed while scrypt ran: remember only a secret that is still the key's.
    if (this.get(id) === key) this.verified.set(id, digest);
    return key;
  }
}

async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, HASH_BYTES, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const given = await scrypt(secret, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return timingSafeEqual(given, expected);
}

/** A PEM public key Node can load (RSA for the bearer tokens IBM's tools sign), or a 400. */
function checkPublicKey(pem: string): string {
  // createPublicKey would also take a private key (and derive its public half): refuse one
  // outright, so it is never stored nor answered back.
  if (/PRIVATE KEY/.test(pem)) throw ERRORS.badRequest('token_verification_key must be a public key, not a private key');
  let key;
  try {
    key = createPublicKey(pem);
  } catch {
    throw ERRORS.badRequest('token_verification_key must be a PEM public key');
  }
  if (key.asymmetricKeyType !== 'rsa') throw ERRORS.badRequest('token_verification_key must be an RSA public key');
  return key.export({ type: 'spki', format: 'pem' }).toString();
}
