/**
 * A small JSON state file in the node's state folder (access keys, permissions, file ids), read
 * once at start and rewritten whole on each change: a temp file then a rename, so a crash never
 * leaves a half-written file, and writes are chained so two changes never interleave.
 */
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z } from 'zod';

export class JsonState<T> {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    public data: T,
  ) {}

  static async open<S extends z.ZodType>(file: string, schema: S, empty: () => z.infer<S>): Promise<JsonState<z.infer<S>>> {
    let text: string | null = null;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text === null) return new JsonState(file, empty());
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${file} is not a valid node state file: ${parsed.error.issues[0]?.message ?? ''}`);
    return new JsonState(file, parsed.data);
  }

  /** Writes the current data; resolves once this state (or a later one) is on disk. */
  save(): Promise<void> {
    const body = JSON.stringify(this.data);
    const next = this.chain.then(async () => {
      await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
      const temp = `${this.file}.${process.pid}.tmp`;
      await writeFile(temp, body, { mode: 0o600 });
      await rename(temp, this.file);
      await chmod(this.file, 0o600);
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
