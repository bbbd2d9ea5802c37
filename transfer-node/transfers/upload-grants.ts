/**
 * What an upload token allows beyond its folder, kept on the node: the files declared at
 * `upload_setup` (with their sizes when the application gave them) and whether the token was
 * spent. The token carries only the grant's id, so it stays small whatever was declared, and a
 * spent token is refused: an upload token carries one upload, not a standing right to write.
 *
 * A grant is `ready`, then `in_use` while a request carries it (a second request with the same
 * token is refused meanwhile), then `used` once that upload completed. A failed or aborted upload
 * gives the grant back, so the same spec can be retried until the token expires.
 */
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { ERRORS } from '../errors';
import { isWithin } from '../storage/node-path';

/**
 * A declared node path and its size in bytes, or null for a folder (anything below it); `keep`
 * when that file may never replace an existing one, whatever the token allows (docs/node-api.md §1.4).
 */
export type DeclaredPath = [path: string, size: number | null, keep?: 'keep'];

// A day past expiry, a grant cannot be presented any more (the token itself is refused first).
const KEEP_AFTER_EXPIRY_SECONDS = 86400;

export class UploadGrants {
  private readonly db: Database.Database;

  constructor(stateDir: string) {
    const file = join(stateDir, 'upload-grants.db');
    // Created 0600 before SQLite opens it: manifests name every file users upload.
    closeSync(openSync(file, 'a', 0o600));
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS upload_grants (
      id TEXT PRIMARY KEY, exp INTEGER NOT NULL, state TEXT NOT NULL, manifest TEXT)`);
    // Every upload_setup prunes lapsed grants: by index, not by reading every grant of the day.
    this.db.exec('CREATE INDEX IF NOT EXISTS upload_grants_exp ON upload_grants (exp)');
    // A process that died mid-upload left its grants in use; nothing carries them now.
    this.db.prepare("UPDATE upload_grants SET state = 'ready' WHERE state = 'in_use'").run();
  }

  /** Records a grant valid until `exp` (epoch seconds); an empty manifest allows any file under the token's folder. */
  create(exp: number, declared: readonly DeclaredPath[]): string {
    const id = randomUUID();
    const now = Math.floor(Date.now() / 1000);
    this.db.prepare('DELETE FROM upload_grants WHERE exp < ?').run(now - KEEP_AFTER_EXPIRY_SECONDS);
    this.db
      .prepare("INSERT INTO upload_grants (id, exp, state, manifest) VALUES (?, ?, 'ready', ?)")
      .run(id, exp, declared.length > 0 ? JSON.stringify(declared) : null);
    return id;
  }

  /** Takes the grant for one upload request; refused when unknown, in use or spent. */
  claim(id: string): Manifest {
    const taken = this.db
      .prepare("UPDATE upload_grants SET state = 'in_use' WHERE id = ? AND state = 'ready' RETURNING manifest")
      .get(id) as { manifest: string | null } | undefined;
    if (taken) return new Manifest(taken.manifest ? (JSON.parse(taken.manifest) as DeclaredPath[]) : []);
    const row = this.db.prepare('SELECT state FROM upload_grants WHERE id = ?').get(id) as { state: string } | undefined;
    if (!row) throw ERRORS.tokenInvalid('This upload was not authorized by this node, or its authorization has lapsed');
    if (row.state === 'in_use') throw ERRORS.exists('Another request is uploading with this token; one token carries one upload');
    throw ERRORS.forbidden('This upload token was already used; ask for a new authorization to upload again');
  }

  /** The upload did not complete: the same token may carry a retry. */
  release(id: string): void {
    this.db.prepare("UPDATE upload_grants SET state = 'ready' WHERE id = ? AND state = 'in_use'").run(id);
  }

  /** The upload completed: the token is spent. */
  consume(id: string): void {
    this.db.prepare("UPDATE upload_grants SET state = 'used' WHERE id = ?").run(id);
  }

  close(): void {
    this.db.close();
  }
}

/** The declared files of one grant, checked as each file part arrives. */
export class Manifest {
  // Declared bytes by path; -1 where the path was declared without a size.
  private readonly files = new Map<string, number>();
  private readonly folders: string[] = [];
  private readonly kept = new Set<string>();

  constructor(declared: readonly DeclaredPath[]) {
    for (const [path, size, keep] of declared) {
      this.files.set(path, Math.max(size ?? -1, this.files.get(path) ?? -1));
      if (size === null) this.folders.push(path);
      if (keep === 'keep') this.kept.add(path);
    }
  }

  /** Whether this file may replace an existing one, given that the token allows replacing. */
  mayReplace(nodePath: string): boolean {
    return !this.kept.has(nodePath) && !this.folders.some((folder) => this.kept.has(folder) && isWithin(folder, nodePath));
  }

  /** Refuses a file that was not declared, or that announces more bytes than were declared for it. */
  check(nodePath: string, size: number): void {
    if (this.files.size === 0) return;
    const declared = this.files.get(nodePath);
    if (declared !== undefined && declared >= 0) {
      if (size > declared)
        throw ERRORS.tooLarge(`File ${nodePath} has ${size} bytes, more than the ${declared} declared when the upload was authorized`);
      return;
    }
    if (declared === undefined && !this.folders.some((folder) => isWithin(folder, nodePath))) {
      throw ERRORS.forbidden(`File ${nodePath} was not declared when the upload was authorized`);
    }
  }
}
