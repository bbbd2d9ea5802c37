/**
 * The programs a benchmark measures, started exactly as an operator starts them
 * (`courier transfer-node`, `courier start --no-build`, Debian's nginx with its own config), each on
 * a free loopback port with a temp data folder, plus /proc readings of their memory and descriptors.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnCourier, startNodeProcess, stopChild, type NodeProcess, type NodeProcessOptions } from '../../test-kit/courier-process';
import { freePort } from '../../test-kit/free-port';
import { hasNginx, startNginx as startTestKitNginx, type NginxProcess } from '../../test-kit/nginx';
import { tempDir as kitTempDir } from '../../test-kit/temp-dir';

/** Bench folders go under BENCH_TMPDIR when set, so a run can choose the disk it measures. */
export function tempDir(prefix: string): string {
  return kitTempDir(`courier-bench-${prefix}`, process.env.BENCH_TMPDIR);
}

/** `node --cpu-prof` for the measured Courier processes when BENCH_CPU_PROF names a folder. */
function nodeFlags(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  if (!dir) return [];
  mkdirSync(dir, { recursive: true });
  return ['--cpu-prof', '--cpu-prof-dir', path.resolve(dir)];
}

/**
 * `courier transfer-node` alone (test-kit), in a bench folder and profiled when asked. `dir` and
 * `port` start it again where a killed one ran: same state, docroot and URL.
 */
export function startNode(options: Omit<NodeProcessOptions, 'nodeArgs'> = {}): Promise<NodeProcess> {
  return startNodeProcess({ ...options, dir: options.dir ?? tempDir('node'), nodeArgs: nodeFlags() });
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
  const { child, pid, match } = await spawnCourier(['start', '--no-build'], {
    nodeArgs: nodeFlags(),
    ready: /Courier is running at (\S+)/,
    env: {
      COURIER_DATA_DIR: dataDir,
      COURIER_PORT: String(await freePort()),
      COURIER_NODE_PORT: String(await freePort()),
      COURIER_HOST: '127.0.0.1',
      COURIER_ADMIN_PASSWORD: adminPassword,
      COURIER_LOG_LEVEL: 'warn',
      ...options.env,
    },
  });
  return {
    pid,
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

export type { NginxProcess } from '../../test-kit/nginx';

/** Debian's nginx (installed on first use), run as its own program; `http` is its http block's body. */
export function startNginxWith(http: (port: number) => string, port?: number): Promise<NginxProcess> {
  if (!hasNginx()) {
    process.stdout.write('Installing Debian nginx for the reference (apt-get install -y nginx)…\n');
    execFileSync('apt-get', ['install', '-y', 'nginx'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
  return startTestKitNginx({ http, port, parent: process.env.BENCH_TMPDIR });
}

/** Debian's defaults for a static file server (sendfile, tcp_nopush), one worker per core, serving `root`. */
export function startNginx(root: string): Promise<NginxProcess> {
  return startNginxWith(
    (port) => `  sendfile on;
  tcp_nopush on;
  default_type application/octet-stream;
  server {
    listen 127.0.0.1:${port};
    root ${root};
  }`,
  );
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
