#!/usr/bin/env node
// Courier's command line: `courier start` (portal + embedded transfer node) and
// `courier transfer-node` (the node alone). TypeScript runs through tsx's loader, so the sources
// are the program and nothing needs compiling except the SPA, which is built when stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const spaDir = path.join(root, 'dist', 'spa');
const [command = 'start', ...args] = process.argv.slice(2);

function newestMtime(entry) {
  if (!existsSync(entry)) return 0;
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/** Builds the SPA when it is missing or older than any of its sources (a fresh clone, a pull). */
async function buildSpaIfStale() {
  const sources = ['src', 'contract', 'index.html', 'vite.config.ts', 'package-lock.json'].map((p) => path.join(root, p));
  const built = path.join(spaDir, 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  process.stdout.write('Building the web app (once after install or a change)…\n');
  const { build } = await import('vite');
  await build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
}

switch (command) {
  case 'start': {
    if (!args.includes('--no-build')) await buildSpaIfStale();
    register();
    const { main } = await import('../launcher/start.ts');
    await main(spaDir);
    break;
  }
  case 'transfer-node': {
    register();
    const { runTransferNodeCli } = await import('../transfer-node/cli.ts');
    await runTransferNodeCli(args, process.env);
    break;
  }
  case 'build':
    await buildSpaIfStale();
    break;
  default:
    process.stderr.write(`Unknown command "${command}". Usage: courier [start [--no-build] | transfer-node [flags] | build]\n`);
    process.exit(2);
}
