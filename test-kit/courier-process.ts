/**
 * Courier's programs run as their own processes, started exactly as an operator starts them
 * (`courier transfer-node`, `courier start`), so a suite meets them only over HTTP, as it would a
 * real HSTS.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from './temp-dir';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(REPO_ROOT, 'bin', 'courier.mjs');
// How long a program may take to say it listens: tsx compiles the sources on first start.
const START_TIMEOUT_MS = 60_000;

export interface Started {
  child: ChildProcess;
  pid: number;
  /** What the program printed to its ready line, matched by `ready`. */
  match: RegExpMatchArray;
  output: () => string;
}

/** `node [nodeArgs] bin/courier.mjs <args>`, resolved once its output matches `ready`. */
export async function spawnCourier(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; ready: RegExp; nodeArgs?: string[] },
): Promise<Started> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${args[0]} did not start within ${START_TIMEOUT_MS} ms:\n${output}`)),
      START_TIMEOUT_MS,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = options.ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args[0]} exited with ${code}:\n${output}`));
    });
  });
  if (child.pid === undefined) throw new Error('the process did not start');
  return { child, pid: child.pid, match, output: () => output };
}

/** SIGTERM, then SIGKILL if it has not exited within 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export interface NodeProcess {
  pid: number;
  url: string;
  gatewayUrl: string;
  username: string;
  password: string;
  /** The Basic authorization header for the Node API. */
  auth: string;
  docroot: string;
  stateDir: string;
  /** The node's folder (state, and the docroot unless one was given): pass it to restart the node. */
  dir: string;
  stop: () => Promise<void>;
  /** SIGKILL, as a crash: nothing is cleaned up and the folders stay for a restart. */
  kill: () => Promise<void>;
}

export interface NodeProcessOptions {
  /** Where state and the docroot go; a fresh temp folder by default. `dir` and `port` restart a killed node where it ran. */
  dir?: string;
  docroot?: string;
  port?: number;
  corsOrigins?: string[];
  /** Settings added to the environment (e.g. NODE_OPTIONS). */
  env?: NodeJS.ProcessEnv;
  /** Flags for node itself (e.g. --cpu-prof). */
  nodeArgs?: string[];
}

/** `courier transfer-node` alone on loopback, with known Node API credentials. */
export async function startNodeProcess(options: NodeProcessOptions = {}): Promise<NodeProcess> {
  const dir = options.dir ?? tempDir('courier-node');
  const docroot = options.docroot ?? path.join(dir, 'docroot');
  const stateDir = path.join(dir, 'state');
  const [username, password] = ['nodeuser', 'embedded-node-pass'];
  const args = [
    'transfer-node',
    '--port',
    String(options.port ?? 0),
    '--host',
    '127.0.0.1',
    '--state-dir',
    stateDir,
    '--docroot',
    docroot,
    '--user',
    username,
    '--password',
    password,
  ];
  if (options.corsOrigins?.length) args.push('--cors-origins', options.corsOrigins.join(','));
  const { child, pid, match } = await spawnCourier(args, {
    env: { COURIER_NODE_LOG_LEVEL: 'warn', ...options.env },
    ready: /Node API (\S+), HTTP Gateway (\S+)/,
    nodeArgs: options.nodeArgs,
  });
  return {
    pid,
    url: match[1] ?? '',
    gatewayUrl: match[2] ?? '',
    username,
    password,
    auth: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64'),
    docroot,
    stateDir,
    dir,
    stop: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
