/** Source files for the transfer benchmarks, written once per run outside any timed section. */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { shell } from '../lib/tools';

/** Random bytes (not zeros: nothing on the path may get a free ride from sparse files or compression). */
export async function randomFile(file: string, size: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  await shell(`head -c ${size} /dev/urandom > '${file}'`);
}

/** `count` random files named f-000000.bin … in `dir`. */
export function randomFiles(dir: string, count: number, size: number): string[] {
  mkdirSync(dir, { recursive: true });
  const names = Array.from({ length: count }, (_, i) => `f-${String(i).padStart(6, '0')}.bin`);
  for (const name of names) writeFileSync(path.join(dir, name), randomBytes(size));
  return names;
}
