#!/usr/bin/env node
// `npm run dev`: the portal API (without building the SPA) and Vite's dev server, which serves
// the SPA with hot reload and proxies /api to the portal (see vite.config.ts). Ctrl-C stops both;
// if either exits, the other is stopped too, so a crash is never hidden behind a live half.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { setTimeout } from 'node:timers';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const env = { ...process.env, COURIER_PORT: process.env.COURIER_PORT ?? '8080' };

const children = [
  { name: 'portal', args: [path.join(root, 'bin/courier.mjs'), 'start', '--no-build'] },
  { name: 'vite', args: [path.join(root, 'node_modules/vite/bin/vite.js')] },
].map(({ name, args }) => {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`[dev] ${name} exited (${signal ?? code}); stopping the other process.`);
    stop(code ?? 1, 'SIGTERM');
  });
  return child;
});

let stopping = false;
/**
 * `signal` null: a terminal's Ctrl-C already reached the children (same process group), so
 * give them a moment to finish on their own before asking again with SIGTERM.
 */
function stop(exitCode, signal) {
  if (stopping) return;
  stopping = true;
  let alive = children.filter((child) => child.exitCode === null && child.signalCode === null);
  if (alive.length === 0) process.exit(exitCode);
  for (const child of alive) {
    child.once('exit', () => {
      alive = alive.filter((c) => c !== child);
      if (alive.length === 0) process.exit(exitCode);
    });
    if (signal) child.kill(signal);
  }
  if (!signal) setTimeout(() => alive.forEach((child) => child.kill('SIGTERM')), 2_000);
  // A child that ignores both still must not keep the terminal.
  setTimeout(() => alive.forEach((child) => child.kill('SIGKILL')), 10_000);
}

process.on('SIGINT', () => stop(0, null));
process.on('SIGTERM', () => stop(0, 'SIGTERM'));
