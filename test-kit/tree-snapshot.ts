/**
 * What a folder holds, as lines to compare before and after a hostile request: each folder, each
 * file with its SHA-256, each symbolic link with its target (not followed), in name order.
 */
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export async function treeSnapshot(dir: string): Promise<string[]> {
  const lines: string[] = [];
  async function walk(abs: string, rel: string) {
    for (const name of (await readdir(abs)).sort()) {
      const child = join(abs, name);
      const stats = await lstat(child);
      if (stats.isSymbolicLink()) lines.push(`${rel}/${name} -> ${await readlink(child)}`);
      else if (stats.isDirectory()) {
        lines.push(`${rel}/${name}/`);
        await walk(child, `${rel}/${name}`);
      } else
        lines.push(
          `${rel}/${name} ${createHash('sha256')
            .update(await readFile(child))
            .digest('hex')}`,
        );
    }
  }
  await walk(dir, '');
  return lines;
}
