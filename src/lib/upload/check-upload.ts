import { MAX_NAME_BYTES, nameProblem, wholePathProblem } from '../../../contract/path-rules';
import { MAX_TRANSFER_FILES } from '../../../contract/transfer-limits';
import { formatBytes } from '../format-bytes';
import type { CollectedUpload } from './collected-upload';

/** The most files one upload may carry: the portal's and the node's limit, without zod on this page. */
export const MAX_UPLOAD_FILES = MAX_TRANSFER_FILES;

/** Past either, the user reviews the drop before it starts: a stray drop of a home folder is easy. */
export const REVIEW_FILE_COUNT = 100;
export const REVIEW_BYTES = 1_000_000_000;

/** A name the portal and the node would refuse (contract/path-rules.ts), caught before anything is sent. */
const isRefusedName = (name: string) => wholePathProblem(name) !== null || nameProblem(name.normalize('NFC')) !== null;

export type UploadCheck =
  { ok: true; fileCount: number; bytes: number; needsReview: boolean } | { ok: false; title: string; detail: string };

function listSome(paths: readonly string[]): string {
  const shown = paths
    .slice(0, 3)
    .map((p) => `"${p}"`)
    .join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

export const UNREADABLE_TITLE = 'Some files cannot be read';

/** Why files that were listed cannot go, naming a few of them. */
export function describeUnreadable(paths: readonly string[]): string {
  return `The browser could not read ${listSome(paths)}. Check their permissions, or whether they still exist, and try again.`;
}

export function checkUpload(upload: CollectedUpload): UploadCheck {
  if (upload.truncated) {
    return {
      ok: false,
      title: 'Too many files',
      detail: `One upload can carry at most ${MAX_UPLOAD_FILES.toLocaleString('en')} files. Upload the folders a few at a time.`,
    };
  }
  if (upload.unreadable.length > 0) {
    return { ok: false, title: UNREADABLE_TITLE, detail: describeUnreadable(upload.unreadable) };
  }
  const allPaths = [...upload.sources.map((s) => s.path), ...upload.emptyFolders];
  const refused = allPaths.filter((p) => p.split('/').some(isRefusedName));
  if (refused.length > 0) {
    return {
      ok: false,
      title: 'Some names cannot be stored',
      detail: `${listSome(refused)}: names may not contain control characters, "\\" or characters that look like "/", or be longer than ${MAX_NAME_BYTES} bytes. Rename them and try again.`,
    };
  }
  if (upload.sources.length === 0) {
    return {
      ok: false,
      title: 'Nothing to upload',
      detail:
        upload.emptyFolders.length > 0
          ? 'The folders you dropped hold no files. Use "New folder" to create empty folders.'
          : 'What you dropped holds no files. Drop files or folders from your computer.',
    };
  }
  const bytes = upload.sources.reduce((sum, s) => sum + s.file.size, 0);
  const fileCount = upload.sources.length;
  return { ok: true, fileCount, bytes, needsReview: fileCount > REVIEW_FILE_COUNT || bytes > REVIEW_BYTES };
}

export function describeUpload(fileCount: number, bytes: number): string {
  return `${fileCount.toLocaleString('en')} ${fileCount === 1 ? 'file' : 'files'}, ${formatBytes(bytes)}`;
}
