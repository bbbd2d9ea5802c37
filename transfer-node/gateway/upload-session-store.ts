/**
 * Upload sessions on disk, so they outlive the node process (docs/http-gateway.md §11.5). Each
 * session is a folder of the staging area, `sessions/<SHA-256 of its id>/`, holding its staged files
 * (`<k>.partial`) and `session.json`: what the session was authorized for and the byte ranges held.
 * The folder is named by a hash, never by the id, which authorizes parts like a signed URL.
 *
 * `session.json` is written (to a temporary name, then renamed) after the bytes it describes were
 * written, so it never claims a range the staged file does not hold; a node killed between the two
 * only forgets a part, which the client sends again. Writes are kept in order per session.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { STAGED_SESSIONS_DIR } from '../storage/node-path';
import { addRange, type ByteRange } from './byte-ranges';

const STATE_FILE = 'session.json';

const range = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const storedSchema = z.object({
  version: z.literal(1),
  grant: z.string(),
  overwrite: z.boolean(),
  grantRoot: z.array(z.string()),
  tokenExpMs: z.number(),
  /** The transfer record's fields (TransferStore.begin), kept as they were at creation. */
  recordInit: z.record(z.string(), z.unknown()),
  files: z.array(z.object({ path: z.string(), segments: z.array(z.string()), size: z.number().int().min(0), held: z.array(range) })),
});

export type StoredSession = z.infer<typeof storedSchema>;

export interface RestoredSession {
  key: string;
  state: StoredSession;
  /** Per file: whether its staged file exists (a part was written into it). */
  created: boolean[];
}

/** The session's key: a hash of the id the client holds. */
export function sessionKey(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export class UploadSessionStore {
  private readonly root: string;
  private readonly queues = new Map<string, Promise<void>>();

  constructor(stagingDir: string) {
    this.root = join(stagingDir, STAGED_SESSIONS_DIR);
  }

  partial(key: string, index: number): string {
    return join(this.root, key, `${index}.partial`);
  }

  async create(key: string, state: StoredSession): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    await mkdir(join(this.root, key), { mode: 0o700 });
    await this.save(key, () => state);
  }

  /**
   * Writes what `read()` gives when its turn comes (so a save queued behind another writes the
   * newest state); `read()` answering null skips the write (the session ended meanwhile).
   */
  save(key: string, read: () => StoredSession | null): Promise<void> {
    const write = async () => {
      const state = read();
      if (!state) return;
      const tmp = join(this.root, key, `${STATE_FILE}.${randomBytes(6).toString('hex')}`);
      await writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
      await rename(tmp, join(this.root, key, STATE_FILE));
    };
    const next = (this.queues.get(key) ?? Promise.resolve()).then(write, write);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  async remove(key: string): Promise<void> {
    await this.queues.get(key);
    await rm(join(this.root, key), { recursive: true, force: true });
  }

  /**
   * The sessions a previous process left. A folder that cannot be read back (no or a damaged
   * `session.json`, a staged file missing) is removed: its client starts again.
   */
  async restore(): Promise<RestoredSession[]> {
    const keys = await readdir(this.root).catch(() => [] as string[]);
    const restored: RestoredSession[] = [];
    for (const key of keys) {
      const found = /^[0-9a-f]{64}$/.test(key) ? await this.read(key) : null;
      if (found) restored.push(found);
      else await rm(join(this.root, key), { recursive: true, force: true });
    }
    return restored;
  }

  private async read(key: string): Promise<RestoredSession | null> {
    const text = await readFile(join(this.root, key, STATE_FILE), 'utf8').catch(() => null);
    if (text === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return null;
    }
    const parsed = storedSchema.safeParse(json);
    if (!parsed.success) return null;
    const state = parsed.data;
    const created: boolean[] = [];
    for (const [k, file] of state.files.entries()) {
      const size = await stat(this.partial(key, k)).then(
        (s) => s.size,
        () => null,
      );
      if (size === null && file.held.length > 0) return null;
      created.push(size !== null);
      // Held ranges never reach past the staged file's end, nor the file's announced size.
      file.held = clamp(file.held, Math.min(size ?? 0, file.size));
    }
    return { key, state, created };
  }
}

function clamp(ranges: readonly ByteRange[], end: number): [number, number][] {
  let out: ByteRange[] = [];
  for (const [s, e] of ranges) out = addRange(out, s, Math.min(e, end));
  return out.map(([s, e]) => [s, e]);
}
