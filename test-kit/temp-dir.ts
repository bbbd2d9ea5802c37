import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh folder `<parent>/<prefix>-XXXXXX`; the caller removes it. */
export function tempDir(prefix: string, parent: string = tmpdir()): string {
  return mkdtempSync(path.join(parent, `${prefix}-`));
}
