/**
 * Debian's nginx in front of portal instances, running the repository's own locations file
 * (deploy/nginx/courier-locations.conf) with an upstream like deploy/nginx/courier.conf's: round
 * robin, `max_fails=1 fail_timeout=5s`, upstream keep-alive (docs/deployment.md §7).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../test-kit/courier-process';
import { tempDir } from './processes';

export interface Balancer {
  child: ChildProcess;
  url: string;
  /** Its folder: `error.log` says which upstream failed how. */
  dir: string;
}

/** nginx on `port` (loopback) for the instances on `upstreams`; ready once `/api/health/live` answers through it. */
export async function startBalancer(port: number, upstreams: number[]): Promise<Balancer> {
  const dir = tempDir('balancer');
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const user = process.getuid?.() === 0 ? 'user root root;\n' : '';
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
${user}worker_processes 1;
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
  upstream courier_portal {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${port};
    include ${path.join(REPO_ROOT, 'deploy/nginx/courier-locations.conf')};
  }
}
`,
  );
  const child = spawn('/usr/sbin/nginx', ['-c', path.join(dir, 'nginx.conf'), '-p', dir, '-e', path.join(dir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i += 1) {
    const r = await fetch(`${url}/api/health/live`).catch(() => undefined);
    if (r?.ok) return { child, url, dir };
    if (child.exitCode !== null || i > 200) throw new Error('nginx did not start');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
