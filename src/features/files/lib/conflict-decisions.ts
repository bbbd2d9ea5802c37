import type { ConflictDecision } from '../../../lib/conflict-decision';
import type { UploadSource } from '../../../transfer-clients';

export type { ConflictChoice, ConflictDecision } from '../../../lib/conflict-decision';

export interface UploadParts {
  sources: UploadSource[];
  emptyFolders: string[];
}

/** The top-level names of an upload: what a conflict is decided for (a dropped folder is one name). */
export function topNames(upload: UploadParts): string[] {
  const names = new Set<string>();
  for (const s of upload.sources) names.add(topOf(s.path));
  for (const f of upload.emptyFolders) names.add(topOf(f));
  return [...names];
}

/**
 * The upload as decided: skipped names leave it, kept ones move to their free name (a folder's
 * files with it), replaced ones stay and are named in `replace` for the portal to allow.
 */
export function applyDecisions<T extends UploadParts>(upload: T, decisions: readonly ConflictDecision[]): T & { replace: string[] } {
  const byName = new Map(decisions.map((d) => [d.name, d]));
  const rename = (path: string): string | null => {
    const decision = byName.get(topOf(path));
    if (!decision) return path;
    if (decision.choice === 'skip') return null;
    if (decision.choice === 'replace') return path;
    return decision.freeName + path.slice(decision.name.length);
  };
  const sources: UploadSource[] = [];
  for (const source of upload.sources) {
    const path = rename(source.path);
    if (path !== null) sources.push(path === source.path ? source : { ...source, path });
  }
  const emptyFolders = upload.emptyFolders.flatMap((f) => rename(f) ?? []);
  const replace = decisions.filter((d) => d.choice === 'replace').map((d) => d.name);
  return { ...upload, sources, emptyFolders, replace };
}

const topOf = (path: string) => path.split('/')[0] ?? path;
