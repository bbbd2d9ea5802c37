/**
 * The local files a node-initiated send carries (docs/node-api.md §5.1), found before the request
 * is answered so a missing or refused source is the request's error, not a failed transfer later.
 * Sources are node paths below `source_root`, resolved through the docroot (its link rules hold:
 * docs/node-api.md §3); folders are walked. As in download zips, symbolic links and special files
 * inside a folder are left out, and a file with several hard links is refused (README, "Links").
 */
import { lstat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MAX_TRANSFER_FILES } from '../../contract/transfer-limits';
import { ERRORS, NodeError } from '../errors';
import { readEntries } from '../storage/dir-entries';
import type { Docroot } from '../storage/docroot';
import { parseNodePath, toNodePath } from '../storage/node-path';

export interface LocalFile {
  abs: string;
  /** The local node path, for the transfer record. */
  nodePath: string;
  /** Where it goes below the remote `destination_root`, `/`-separated. */
  destination: string;
  size: number;
}

export async function collectLocalSources(
  docroot: Docroot,
  root: readonly string[],
  paths: readonly { source: string; destination?: string }[],
): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  for (const path of paths) {
    const segments = [...root, ...parseNodePath(path.source, { allowLeadingSlash: true })];
    const resolved = await docroot.resolve(segments);
    if (!resolved.stats) throw ERRORS.notFound(`Source does not exist: ${toNodePath(segments)}`);
    const destination = path.destination?.replace(/^\/+/, '') || basename(resolved.abs);
    parseNodePath(destination, { allowLeadingSlash: false });
    if (resolved.stats.isDirectory()) await walk(resolved.abs, segments, destination, files);
    else if (resolved.stats.isFile()) add(files, await fileAt(resolved.abs, segments), destination);
    else throw ERRORS.badRequest(`Only files and folders can be sent: ${toNodePath(segments)}`);
  }
  return files;
}

async function walk(abs: string, segments: string[], destination: string, files: LocalFile[]): Promise<void> {
  for (const entry of await readEntries(abs)) {
    if (entry.type !== 'file' && entry.type !== 'directory') continue;
    // A name that is not UTF-8 cannot be named in the gateway's multipart filename (docs/http-gateway.md §3.1).
    if (entry.rawName) throw new NodeError(400, `${toNodePath(segments)} holds a name that is not UTF-8 and cannot be sent`, 'bad_request');
    const child = join(abs, entry.name);
    const childSegments = [...segments, entry.name];
    if (entry.type === 'directory') await walk(child, childSegments, `${destination}/${entry.name}`, files);
    else add(files, await fileAt(child, childSegments), `${destination}/${entry.name}`);
  }
}

async function fileAt(abs: string, segments: string[]) {
  const stats = await lstat(abs);
  const nodePath = toNodePath(segments);
  if (stats.nlink > 1) throw ERRORS.forbidden(`${nodePath} is not sent: the file has other hard links`);
  return { abs, nodePath, size: stats.size };
}

function add(files: LocalFile[], file: Omit<LocalFile, 'destination'>, destination: string): void {
  if (files.length >= MAX_TRANSFER_FILES)
    throw ERRORS.tooLarge(`A transfer carries at most ${MAX_TRANSFER_FILES} files over the HTTP Gateway; send folders apart`);
  files.push({ ...file, destination });
}
