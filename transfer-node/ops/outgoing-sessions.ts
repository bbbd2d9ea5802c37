/**
 * The upload sessions this node has open on remote gateways (docs/node-api.md §5.1), one file per
 * transfer token in `<stateDir>/outgoing-sessions/`, so that a send cut by this node's death is
 * continued, not refused, when the same spec is posted again: the remote still holds the token's
 * grant and the bytes that arrived (docs/http-gateway.md §11.5). A session's id authorizes its
 * parts (§11.2), so it is kept like the node's other secrets (0600) and named by a hash of the token.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface OutgoingSession {
  /** The session's id: its URL is the remote gateway's sessions URL and this id (§11.2). */
  id: string;
  sizes: number[];
}

export class OutgoingSessions {
  private readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'outgoing-sessions');
  }

  private fileOf(token: string): string {
    return join(this.dir, `${createHash('sha256').update(token).digest('hex')}.json`);
  }

  async find(token: string): Promise<OutgoingSession | null> {
    try {
      const parsed = JSON.parse(await readFile(this.fileOf(token), 'utf8')) as Partial<OutgoingSession>;
      if (typeof parsed.id === 'string' && Array.isArray(parsed.sizes) && parsed.sizes.every((n) => Number.isSafeInteger(n)))
        return { id: parsed.id, sizes: parsed.sizes };
    } catch {
      // none, or unreadable: a new session is made
    }
    return null;
  }

  async keep(token: string, session: OutgoingSession): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.fileOf(token);
    await writeFile(`${file}.tmp`, JSON.stringify(session), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  async forget(token: string): Promise<void> {
    await rm(this.fileOf(token), { force: true });
  }
}
