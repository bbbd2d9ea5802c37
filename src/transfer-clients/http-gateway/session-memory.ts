import type { UploadSource } from '../transfer-client';

/**
 * Upload sessions this tab started (docs/http-gateway.md §11), kept in `sessionStorage` so that
 * after a reload the same files, chosen again, continue where they stopped. The browser cannot
 * keep the files themselves: what is kept is how to know them again (path, size, modification
 * time) and the session's address. Nothing here is a node secret: the session id only lets its
 * parts be sent to the node's staging folder, until the session completes or expires.
 */
export interface RememberedSession {
  gatewayUrl: string;
  sessionId: string;
  files: { path: string; size: number; lastModified: number }[];
}

const KEY = 'courier.upload-sessions';

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    // Storage refused (a sandboxed frame, privacy settings): nothing is remembered, uploads still run.
    return null;
  }
}

function readAll(): Record<string, RememberedSession> {
  try {
    const parsed = JSON.parse(storage()?.getItem(KEY) ?? '{}') as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, RememberedSession>) : {};
  } catch {
    return {};
  }
}

function writeAll(all: Record<string, RememberedSession>): void {
  try {
    if (Object.keys(all).length === 0) storage()?.removeItem(KEY);
    else storage()?.setItem(KEY, JSON.stringify(all));
  } catch {
    // Full or refused: a reload will ask for a new upload instead of resuming.
  }
}

export function rememberSession(transferId: string, gatewayUrl: string, sessionId: string, sources: readonly UploadSource[]): void {
  const files = sources.map((s) => ({ path: s.path, size: s.file.size, lastModified: s.file.lastModified }));
  writeAll({ ...readAll(), [transferId]: { gatewayUrl, sessionId, files } });
}

export function recallSession(transferId: string): RememberedSession | null {
  return readAll()[transferId] ?? null;
}

export function forgetSession(transferId: string): void {
  const all = readAll();
  if (!(transferId in all)) return;
  writeAll(Object.fromEntries(Object.entries(all).filter(([id]) => id !== transferId)));
}

/**
 * The files chosen again, in the order the session has them, or why they are not the same files:
 * each is matched by its path, then must have the same size and modification time, or its bytes
 * could differ from those already sent and the stored file would mix the two.
 */
export function matchSources(
  remembered: RememberedSession,
  picked: readonly UploadSource[],
): { sources: UploadSource[] } | { refused: string } {
  const byPath = new Map(picked.map((s) => [s.path, s]));
  const sources: UploadSource[] = [];
  for (const file of remembered.files) {
    const source = byPath.get(file.path);
    if (!source) return { refused: `${file.path} is not among the files chosen: choose the same files as before to resume.` };
    if (source.file.size !== file.size || source.file.lastModified !== file.lastModified)
      return {
        refused: `${file.path} changed since the upload started (its size or modification time differ): it cannot be resumed. Upload it again instead.`,
      };
    sources.push({ file: source.file, path: file.path });
  }
  return { sources };
}
