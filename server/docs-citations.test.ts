import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Comments cite the repository's own docs (`docs/node-api.md §4`), never the team's shared folder
 * a clone does not have (docs/architecture.md §5.1). Every cited file must exist and every cited
 * section must be a numbered heading of it, so a renumbered or renamed doc fails here.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const SKIP = new Set(['node_modules', 'dist', 'data', 'test-results', 'playwright-report', 'results', '.git', '.stryker-tmp', 'reports']);
const SCANNED = /\.(ts|tsx|mjs|js|scss|md)$/;

function sourceFiles(dir = ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (entry.isFile() && SCANNED.test(entry.name)) files.push(full);
  }
  return files;
}

/** Section numbers of a doc's headings: `## 4. Transfer setup` → 4, `### 3.1 Request` → 3.1. */
function sectionsOf(doc: string): Set<string> {
  const sections = new Set<string>();
  for (const match of doc.matchAll(/^#{2,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) sections.add(match[1] as string);
  return sections;
}

interface Citation {
  file: string;
  line: number;
  doc: string;
  sections: string[];
}

/** `docs/x.md` followed by `§4`, `§3.1, §4.1`, `§2–§6` or `§1.3 and §1.4`. */
function citationsIn(text: string, file: string): Citation[] {
  const found: Citation[] = [];
  const pattern = /docs\/([\w-]+\.md)((?:\s*(?:,|–|-|and|\/)?\s*§\s*\d+(?:\.\d+)*)*)/g;
  for (const match of text.matchAll(pattern)) {
    const line = text.slice(0, match.index).split('\n').length;
    const sections = [...(match[2] ?? '').matchAll(/§\s*(\d+(?:\.\d+)*)/g)].map((m) => m[1] as string);
    found.push({ file, line, doc: match[1] as string, sections });
  }
  return found;
}

// The shared folder's file names, cited without `docs/`: `node-api.md §4`, `DESIGN.md`,
// `reference/integration-guide.txt`. A relative Markdown link inside docs/ (`](node-api.md)`) is fine.
const SHARED =
  /(?<!docs\/)(?<![\w-]|\]\()(?:node-api|http-gateway-v3|transfer-spec|aspera-sdk|DESIGN|STYLE)\.md\b|integration-guide\.txt|node-api-[\d.]+\.openapi\.yaml|shared\/reference\b/g;

function sharedFolderCitationsIn(text: string): string[] {
  return [...text.matchAll(SHARED)].map((m) => `line ${text.slice(0, m.index).split('\n').length}: ${m[0]}`);
}

describe('citations of docs/', () => {
  const self = path.resolve(import.meta.filename);
  const files = sourceFiles().filter((f) => f !== self);
  const docs = new Map<string, Set<string> | null>();
  const sections = (doc: string) => {
    if (!docs.has(doc)) {
      const file = path.join(ROOT, 'docs', doc);
      docs.set(doc, existsSync(file) ? sectionsOf(readFileSync(file, 'utf8')) : null);
    }
    return docs.get(doc) ?? null;
  };

  it('finds the citations it checks', () => {
    const all = files.flatMap((f) => citationsIn(readFileSync(f, 'utf8'), f));
    expect(all.filter((c) => c.sections.length > 0).length).toBeGreaterThan(50);
  });

  it('cites only docs that exist, and sections that are headings of them', () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const c of citationsIn(readFileSync(file, 'utf8'), file)) {
        const known = sections(c.doc);
        const where = `${path.relative(ROOT, c.file)}:${c.line}`;
        if (!known) broken.push(`${where}: docs/${c.doc} does not exist`);
        else for (const s of c.sections) if (!known.has(s)) broken.push(`${where}: docs/${c.doc} has no section ${s}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("never cites the team's shared folder, which a clone does not have", () => {
    const stray = files.flatMap((f) => sharedFolderCitationsIn(readFileSync(f, 'utf8')).map((hit) => `${path.relative(ROOT, f)} ${hit}`));
    expect(stray).toEqual([]);
  });

  it('reads the forms comments use', () => {
    expect(citationsIn('see docs/http-gateway.md §3.1, §4.1 and docs/node-api.md §2–§5.', 'x').map((c) => [c.doc, c.sections])).toEqual([
      ['http-gateway.md', ['3.1', '4.1']],
      ['node-api.md', ['2', '5']],
    ]);
    expect(
      sharedFolderCitationsIn('(node-api.md §4) [a](node-api.md) docs/node-api.md reference/transfer-spec.md ../shared/DESIGN.md'),
    ).toEqual(['line 1: node-api.md', 'line 1: transfer-spec.md', 'line 1: DESIGN.md']);
  });
});
