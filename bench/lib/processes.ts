/**
 * The programs a benchmark measures, started exactly as an operator starts them
 * (`courier transfer-node`, `courier start --no-build`, Debian's nginx with its own config), each on
 * a free loopback port with a temp data folder, plus /proc readings of their memory and descriptors.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO_ROOT, 'bin', 'courier.mjs');
// How long a program may take to say it listens: tsx compiles the sources on first start.
const START_TIMEOUT_MS = 60_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(path.join(process.env.BENCH_TMPDIR ?? tmpdir(), `courier-bench-${prefix}-`));
}

/** `node --cpu-prof` for the measured Courier processes when BENCH_CPU_PROF names a folder. */
function nodeFlags(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return [];
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', '--cpu-prof-dir', path.resolve(dir)];
}

interface Started {
  child: ChildProcess;
  output: () => string;
}

async function startAndWait(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Started & { match: RegExpMatchArray }> {
  const child = spawn(process.execPath, [...nodeFlags(), BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args[0]} did not start within ${START_TIMEOUT_MS} ms:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const found = ready.exec(output);
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
  return { child, output: () => output, match };
}

function pidOf(child: ChildProcess): number {
  if (child.pid === undefined) throw new Error('the process did not start');
  return child.pid;
}

async function stopChild(child: ChildProcess): Promise<void> {
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
  auth: string;
  docroot: string;
  stateDir: string;
  /** The node's folder (state, and the docroot unless one was given): pass it to restart the node. */
  dir: string;
  stop: () => Promise<void>;
  /** SIGKILL, as a crash: nothing is cleaned up and the folders stay for a restart. */
  kill: () => Promise<void>;
}

/**
 * `courier transfer-node` alone, with known Node API credentials. `dir` and `port` start it again
 * where a killed one ran: same state, docroot and URL. `env` adds settings (e.g. NODE_OPTIONS).
 */
export async function startNode(options: { docroot?: string; dir?: string; port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<NodeProcess> {
  const dir = options.dir ?? tempDir('node');
  const docroot = options.docroot ?? path.join(dir, 'docroot');
  const [username, password] = ['bench_node', 'bench-node-password'];
  const { child, match } = await startAndWait(
    ['transfer-node', '--port', String(options.port ?? 0), '--host', '127.0.0.1', '--state-dir', path.join(dir, 'state'), '--docroot', docroot, '--user', username, '--password', password],
    { COURIER_NODE_LOG_LEVEL: 'warn', ...options.env },
    /Node API (\S+), HTTP Gateway (\S+)/,
  );
  return {
    pid: pidOf(child),
    url: match[1] ?? '',
    gatewayUrl: match[2] ?? '',
    auth: 'Basic ' + Buffer.from(`${username}:${password}`).toString('base64'),
    docroot,
    stateDir: path.join(dir, 'state'),
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

export interface CourierProcess {
  pid: number;
  url: string;
  dataDir: string;
  /** The embedded node's docroot: the portal's spaces are folders in it. */
  docroot: string;
  adminPassword: string;
  stop: () => Promise<void>;
}

/**
 * `courier start --no-build`: the portal and its embedded node in one process, SQLite in a temp
 * folder. `env` adds settings (e.g. COURIER_ASPERA_SDK_URL); the SPA must be built (`npm run build`).
 */
export async function startCourier(options: { env?: NodeJS.ProcessEnv } = {}): Promise<CourierProcess> {
  const dataDir = tempDir('portal');
  const adminPassword = 'bench-admin-password-1';
  const { child, match } = await startAndWait(
    ['start', '--no-build'],
    {
      COURIER_DATA_DIR: dataDir,
      COURIER_PORT: String(await freePort()),
      COURIER_NODE_PORT: String(await freePort()),
      COURIER_HOST: '127.0.0.1',
      COURIER_ADMIN_PASSWORD: adminPassword,
      COURIER_LOG_LEVEL: 'warn',
      ...options.env,
    },
    /Courier is running at (\S+)/,
  );
  return {
    pid: pidOf(child),
    url: (match[1] ?? '').replace('localhost', '127.0.0.1'),
    dataDir,
    docroot: path.join(dataDir, 'node', 'docroot'),
    adminPassword,
    stop: async () => {
      await stopChild(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface NginxProcess {
  url: string;
  stop: () => Promise<void>;
}

const NGINX = '/usr/sbin/nginx';

/** Workers run as this user, so they can read the 0700 temp folders this process creates. */
function userLine(): string {
  const { uid } = process.getuid ? { uid: process.getuid() } : { uid: -1 };
  return uid === 0 ? 'user root root;\n' : '';
}

/** Debian's nginx, installed on first use, serving `root` on a free loopback port with its own config. */
export async function startNginx(root: string): Promise<NginxProcess> {
  if (!existsSync(NGINX)) {
    process.stdout.write('Installing Debian nginx for the reference (apt-get install -y nginx)…\n');
    execFileSync('apt-get', ['install', '-y', 'nginx'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  const dir = tempDir('nginx');
  const port = await freePort();
  // Debian's defaults for a static file server (sendfile, tcp_nopush), one worker per core.
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
${userLine()}worker_processes auto;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }
}
`,
  );
  const child = spawn(NGINX, ['-c', path.join(dir, 'nginx.conf'), '-p', dir, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${output}`);
    const ok = await fetch(url + '/').then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (attempt >= 100) throw new Error(`nginx did not listen on ${url}: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: async () => {
      // SIGQUIT is nginx's graceful stop; the master waits for its workers.
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function statusField(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  if (!line) throw new Error(`no ${field} for pid ${pid}`);
  return Number(/(\d+)/.exec(line)?.[1]) * 1024;
}

/** Peak resident memory since the process started (or since `resetPeakRss`), in bytes. */
export const peakRss = (pid: number) => statusField(pid, 'VmHWM');

/**
 * Resets VmHWM to the current RSS (`echo 5 > /proc/<pid>/clear_refs`, Linux ≥ 4.0), so a peak is
 * not the start-up's. False where that is not allowed; callers then sample VmRSS instead.
 */
export function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}
export const currentRss = (pid: number) => statusField(pid, 'VmRSS');
export const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** What the descriptors point at, counted by kind (`socket`, `anon_inode:[eventpoll]`, a file path…). */
export function fdTargets(pid: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target: string;
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`).replace(/:\[\d+\]$/, '');
    } catch {
      continue; // closed between the listing and the read
    }
    counts[target] = (counts[target] ?? 0) + 1;
  }
  return counts;
}
