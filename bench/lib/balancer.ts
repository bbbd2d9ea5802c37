/**
 * Debian's nginx in front of portal instances, running the repository's own locations file
 * (deploy/nginx/courier-locations.conf) with an upstream like deploy/nginx/courier.conf's: round
 * robin, `max_fails=1 fail_timeout=5s`, upstream keep-alive (docs/deployment.md §7).
 */
import path from 'node:path';
import { REPO_ROOT } from '../../test-kit/courier-process';
import { startNginx, type NginxProcess } from '../../test-kit/nginx';

export type Balancer = NginxProcess;

/** nginx on `port` (loopback) for the instances on `upstreams`; ready once `/api/health/live` answers through it. */
export function startBalancer(port: number, upstreams: number[]): Promise<Balancer> {
  return startNginx({
    port,
    workers: 1,
    parent: process.env.BENCH_TMPDIR,
    http: (listen) => `  upstream courier_portal {
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n')}
    keepalive 32;
  }
  server {
    listen 127.0.0.1:${listen};
    include ${path.join(REPO_ROOT, 'deploy/nginx/courier-locations.conf')};
  }`,
    ready: { path: '/api/health/live', ok: (r) => r.ok },
  });
}
