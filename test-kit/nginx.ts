/**
 * Debian's nginx as an operator runs it (`nginx -c <file>`), with a config of the caller's on a
 * free loopback port and a temp folder for its pid, logs and buffers. The bench's reference static
 * server, the scale-out balancer and the node's X-Accel-Redirect proof all start it here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './free-port';
import { tempDir } from './temp-dir';

export const NGINX_BIN = '/usr/sbin/nginx';

/** Whether this machine has nginx; suites that need it skip with a message when it has not. */
export const hasNginx = (): boolean => existsSync(NGINX_BIN);

export interface NginxProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** What nginx wrote to its error log so far. */
  errors: () => string;
  /** SIGQUIT (nginx's graceful stop), then the temp folder is removed. */
  stop: () => Promise<void>;
}

export interface NginxOptions {
  /** The body of the `http` block for a server listening on `port`; pid, temp paths and logs are set here. */
  http: (port: number) => string;
  /** The port to listen on, when the caller had to name it before (a free one by default). */
  port?: number;
  /** `worker_processes`: `auto` (one per core) unless said. */
  workers?: number | 'auto';
  /** The folder for pid, logs and buffers is made under this one (the system temp folder by default). */
  parent?: string;
  /** nginx is ready when a GET of this path answers so (any answer by default). */
  ready?: { path: string; ok: (res: Response) => boolean };
}

export async function startNginx(options: NginxOptions): Promise<NginxProcess> {
  const dir = tempDir('courier-nginx', options.parent);
  const port = options.port ?? (await freePort());
  // Workers run as this user, so they can read the 0700 temp folders this process creates.
  const user = process.getuid?.() === 0 ? 'user root root;\n' : '';
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
${user}worker_processes ${options.workers ?? 'auto'};
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 2048; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${options.http(port)}
}
`,
  );
  const child = spawn(NGINX_BIN, ['-c', conf, '-p', dir, '-e', path.join(dir, 'error.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const ready = options.ready ?? { path: '/', ok: () => true };
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited with ${child.exitCode}: ${output}`);
    const res = await fetch(url + ready.path).catch(() => undefined);
    if (res && ready.ok(res)) break;
    if (attempt >= 200) throw new Error(`nginx did not answer on ${url}${ready.path}: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    child,
    errors: () => {
      try {
        return readFileSync(path.join(dir, 'error.log'), 'utf8');
      } catch {
        return output;
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
