/**
 * Stable file ids (docs/node-api.md §6.3): every file or folder reached through the id API gets a
 * number that stays its own across restarts and across renames and moves made through this node.
 * Ids name docroot paths (real paths, links resolved), so two access keys over the same folder see
 * the same ids. The map is kept in `<stateDir>/file-ids.json`; an entry found on disk gets its id
 * the first time it is listed.
 */
import { join } from 'node:path';
import { z } from 'zod';
import type { Docroot } from '../storage/docroot';
import type { PathChanges } from '../storage/file-service';
import { isWithin } from '../storage/node-path';
import { JsonState } from './json-state';

const schema = z.object({ next: z.number().int().min(1), paths: z.record(z.string(), z.string()) });

export class FileIds {
  private readonly byPath = new Map<string, string>();
  private readonly byId: Map<string, string>;

  private constructor(private readonly state: JsonState<z.infer<typeof schema>>) {
    this.byId = new Map(Object.entries(state.data.paths));
    for (const [id, path] of this.byId) this.byPath.set(path, id);
  }

  private save(): Promise<void> {
    this.state.data.paths = Object.fromEntries(this.byId);
    return this.state.save();
  }

  static async open(stateDir: string): Promise<FileIds> {
    return new FileIds(await JsonState.open(join(stateDir, 'file-ids.json'), schema, () => ({ next: 1, paths: {} })));
  }

  /** Renames and deletes in `docroot` (by absolute path) move and drop the ids. */
  changesIn(docroot: Docroot): PathChanges {
    return {
      moved: async (fromAbs, toAbs) => {
        const from = docroot.nodePathOf(fromAbs);
        const to = docroot.nodePathOf(toAbs);
        if (from !== null && to !== null) await this.moved(from, to);
      },
      removed: async (abs) => {
        const path = docroot.nodePathOf(abs);
        if (path !== null) await this.removed(path);
      },
    };
  }

  pathOf(id: string): string | undefined {
    return this.byId.get(id);
  }

  async idOf(nodePath: string): Promise<string> {
    return (await this.idsOf([nodePath]))[0] as string;
  }

  /** The ids of `nodePaths`, giving new ones where needed with one write for the batch. */
  async idsOf(nodePaths: readonly string[]): Promise<string[]> {
    let added = false;
    const ids = nodePaths.map((path) => {
      let id = this.byPath.get(path);
      if (id === undefined) {
        id = String(this.state.data.next++);
        this.byId.set(id, path);
        this.byPath.set(path, id);
        added = true;
      }
      return id;
    });
    if (added) await this.save();
    return ids;
  }

  /** `from` (and everything below it) now lives at `to`: the ids follow. */
  async moved(from: string, to: string): Promise<void> {
    let changed = false;
    for (const [path, id] of [...this.byPath]) {
      if (!isWithin(from, path) || from === '/') continue;
      const next = to + path.slice(from.length);
      this.byPath.delete(path);
      // An entry that already had an id at the destination keeps neither: the moved one wins.
      const stale = this.byPath.get(next);
      if (stale !== undefined) this.byId.delete(stale);
      this.byPath.set(next, id);
      this.byId.set(id, next);
      changed = true;
    }
    if (changed) await this.save();
  }

  /** `path` and everything below it are gone: their ids are never given again. */
  async removed(path: string): Promise<void> {
    let changed = false;
    for (const [p, id] of [...this.byPath]) {
      if (path === '/' || !isWithin(path, p)) continue;
      this.byPath.delete(p);
      this.byId.delete(id);
      changed = true;
    }
    if (changed) await this.save();
  }
}
