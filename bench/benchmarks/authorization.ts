/** `POST /api/transfers` with a valid session vs `GET /api/health` on the same server, both under wrk. */
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createSpace, login } from '../lib/clients';
import { startCourier, tempDir } from '../lib/processes';
import type { BenchOptions, BenchRow } from '../lib/report';
import { interleave, spread } from '../lib/stats';
import { wrk, type WrkResult } from '../lib/tools';

const lua = (s: string) => JSON.stringify(s);

export async function authorizationBench(o: BenchOptions): Promise<BenchRow[]> {
  const courier = await startCourier();
  const work = tempDir('authz');
  try {
    const session = await login(courier);
    const space = await createSpace(session, 'bench-authz');
    const body = JSON.stringify({
      spaceId: space.id,
      direction: 'upload',
      folder: '/incoming',
      files: [{ path: 'report.pdf', size: 1_048_576 }],
    });
    const script = path.join(work, 'post-transfer.lua');
    writeFileSync(
      script,
      [
        'wrk.method = "POST"',
        `wrk.body = ${lua(body)}`,
        'wrk.headers["Content-Type"] = "application/json"',
        `wrk.headers["Cookie"] = ${lua(session.cookie)}`,
        `wrk.headers["X-CSRF-Token"] = ${lua(session.csrfToken)}`,
      ].join('\n') + '\n',
    );
    const load = { connections: o.connections, seconds: o.seconds, threads: 2 };
    const posts: WrkResult[] = [];
    const healths: WrkResult[] = [];
    // A short untimed round of each: tsx-compiled code paths and SQLite statements warm.
    await wrk(`${courier.url}/api/transfers`, { ...load, seconds: 2, script });
    await wrk(`${courier.url}/api/health`, { ...load, seconds: 2 });
    const result = await interleave(
      o.runs,
      async () => {
        const r = await wrk(`${courier.url}/api/transfers`, { ...load, script });
        posts.push(r);
        return r.requestsPerSecond;
      },
      async () => {
        const r = await wrk(`${courier.url}/api/health`, load);
        healths.push(r);
        return r.requestsPerSecond;
      },
    );
    const failed = [...posts, ...healths].reduce((n, r) => n + r.non2xx + r.errors, 0);
    const p99 = (rs: WrkResult[]) => spread(rs.map((r) => r.p99Ms));
    return [
      {
        name: `transfer authorization, concurrency ${o.connections}`,
        courier: 'POST /api/transfers (upload, 1 file)',
        reference: 'GET /api/health, same server',
        unit: 'req/s',
        courierValue: result.courier,
        referenceValue: result.reference,
        ratio: result.ratio,
        runs: result.runs,
        goal: '≥ 0.15',
        met: result.ratio.median >= 0.15 && failed === 0,
        notes: [`${o.seconds} s of wrk -t2 -c${o.connections} per side and run; ${failed} non-2xx responses or socket errors.`],
      },
      {
        name: `transfer authorization p99, concurrency ${o.connections}`,
        courier: 'POST /api/transfers',
        reference: 'GET /api/health',
        unit: 'ms',
        courierValue: p99(posts),
        referenceValue: p99(healths),
        ratio: null,
        runs: result.runs,
        goal: 'report',
        met: null,
        notes: [
          `p50 ${spread(posts.map((r) => r.p50Ms)).median.toFixed(1)} ms (health ${spread(healths.map((r) => r.p50Ms)).median.toFixed(1)} ms).`,
        ],
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
    await courier.stop();
  }
}
