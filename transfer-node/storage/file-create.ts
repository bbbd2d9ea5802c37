/**
 * `POST /files/create` for files and symbolic links (docs/node-api.md §3), as ascli's `mkfile` and
 * `mklink` send them (the OAS `files-create-path`: `contents` base64, `target: {path}`), within the
 * rules every other write keeps: paths confined to the docroot (or the access key's jail), a file
 * written to the staging folder and linked to its final name (never replacing, never a partial
 * under the final name), and a link only where the node would follow it: to an existing entry
 * inside the folder that holds the link, never into the staging area (docs/node-api.md §3, links).
 */
import { randomUUID } from 'node:crypto';
import { link, symlink, unlink, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ERRORS } from '../errors';
import { isInside } from './docroot';
import type { FileService } from './file-service';

// A file made by a Node API call, not an upload: ascli's mkfile passes its contents on the command line.
export const MAX_CREATE_FILE_BYTES = 1024 * 1024;

export async function createFile(files: FileService, path: unknown, contents: unknown): Promise<string> {
  if (contents !== undefined && typeof contents !== 'string') throw ERRORS.badRequest('"contents" must be a base64 string');
  const text = contents ?? '';
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw ERRORS.badRequest('"contents" must be standard base64');
  const data = Buffer.from(text, 'base64');
  if (data.length > MAX_CREATE_FILE_BYTES)
    throw ERRORS.tooLarge(`A created file holds at most ${MAX_CREATE_FILE_BYTES} bytes: upload larger ones`);
  const segments = files.segments(path);
  if (segments.length === 0) throw ERRORS.badRequest('A file needs a name');
  const docroot = files.docroot;
  const resolved = await docroot.resolveEntry(segments);
  if (resolved.stats) throw ERRORS.exists();
  const parentAbs = await docroot.ensureDir(segments.slice(0, -1));
  const partial = join(docroot.stagingDir, `${randomUUID()}.partial`);
  await writeFile(partial, data, { flag: 'wx', mode: 0o640 });
  try {
    // link() fails with EEXIST rather than replace what appeared meanwhile.
    await link(partial, join(parentAbs, segments[segments.length - 1] as string));
  } finally {
    await unlink(partial);
  }
  files.listings.invalidate(parentAbs);
  return resolved.nodePath;
}

export async function createLink(files: FileService, path: unknown, target: unknown): Promise<string> {
  const targetPath = (target as { path?: unknown } | null)?.path;
  if (typeof targetPath !== 'string') throw ERRORS.badRequest('A symbolic link needs "target": {"path": ...}');
  const segments = files.segments(path);
  if (segments.length === 0) throw ERRORS.badRequest('A link needs a name');
  const docroot = files.docroot;
  const resolved = await docroot.resolveEntry(segments);
  if (resolved.stats) throw ERRORS.exists();
  const destination = await docroot.resolve(files.segments(targetPath));
  if (!destination.stats) throw ERRORS.notFound(`Link target does not exist: ${destination.nodePath}`);
  const parentAbs = await docroot.ensureDir(segments.slice(0, -1));
  // The node follows a link only within the folder that holds it (docroot.ts): make no other kind.
  if (!isInside(parentAbs, destination.abs) || destination.abs === parentAbs)
    throw ERRORS.forbidden('A link must lead to an entry inside the folder that holds it');
  // Relative, so the link keeps working if the docroot moves.
  await symlink(relative(parentAbs, destination.abs), join(parentAbs, segments[segments.length - 1] as string));
  files.listings.invalidate(parentAbs);
  return resolved.nodePath;
}
