/**
 * 50 concurrent gateway uploads of 20 MB plus 50 concurrent downloads against the real node,
 * three rounds: every byte right, no error, descriptors back to idle and memory within a bound.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeDownloadSpec, nodeUploadSpec, presign } from '../lib/clients';
import { currentRss, fdTargets, openFds, peakRss, startNode, tempDir, type NodeProcess } from '../lib/processes';
import { Agent, downloadSha256, sha256File, uploadFile } from './gateway-io';

const CONCURRENT = 50;
const FILE_BYTES = 20 * 1024 * 1024;
const ROUNDS = 3;
// Headroom over idle once the load is gone. Descriptors are exact but for a pooled socket or two.
// Memory: 50 uploads hold ~3 MiB of parser and write buffers each and 50 downloads 1 MiB reads, so
// the load peaks ~300 MB over idle; an idle V8 frees those buffers only when it next collects, which
// nothing triggers once the load stops (measured 30 s later: +110 to +270 MB, not growing with the
// rounds). So the bound is the working set, 512 MB: buffering or keeping the moved bytes (3 GB over
// the three rounds) breaks it, ordinary garbage awaiting collection does not.
const FD_SLACK = 5;
const MB = 1024 * 1024;
const RSS_BUDGET = 512 * MB;

let node: NodeProcess;
let work: string;
const sources: Array<{ file: string; sha256: string }> = [];
const seeds: Array<{ nodePath: string; sha256: string }> = [];

/** Polls until `check` holds, at most `attempts` times 200 ms apart; returns the last reading. */
async function settle<T>(read: () => T, check: (v: T) => boolean, attempts = 100): Promise<T> {
  let value = read();
  for (let i = 0; i < attempts && !check(value); i++) {
    await new Promise((r) => setTimeout(r, 200));
    value = read();
  }
  return value;
}

beforeAll(async () => {
  node = await startNode();
  work = tempDir('load');
  mkdirSync(path.join(node.docroot, 'seed'), { recursive: true });
  for (let i = 0; i < CONCURRENT; i++) {
    const file = path.join(work, `source-${i}.bin`);
    writeFileSync(file, randomBytes(FILE_BYTES));
    sources.push({ file, sha256: await sha256File(file) });
    const seed = path.join(node.docroot, 'seed', `seed-${i}.bin`);
    writeFileSync(seed, randomBytes(FILE_BYTES));
    seeds.push({ nodePath: `/seed/seed-${i}.bin`, sha256: await sha256File(seed) });
  }
});

afterAll(async () => {
  await node?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the node under load', () => {
  it(`carries ${CONCURRENT} uploads and ${CONCURRENT} downloads of 20 MB at once, ${ROUNDS} times, byte-identical, then releases descriptors and stays within its working set`, async () => {
    // Idle: after one small round trip, so lazily loaded code is not counted as load.
    const warmSpec = await nodeUploadSpec(node, '/warm');
    writeFileSync(path.join(work, 'warm.bin'), 'warm');
    expect((await uploadFile(node.gatewayUrl, warmSpec, path.join(work, 'warm.bin'), 'warm.bin', 4, path.join(work, 'warm.curl'))).status).toBe(200);
    const idleFds = openFds(node.pid);
    const idleTargets = fdTargets(node.pid);
    // Our own connection pool, closed before the idle check: keep-alive sockets a client still
    // holds open are the client's, not a leak in the node.
    const agent = new Agent({ connections: CONCURRENT });
    const idleRss = currentRss(node.pid);

    const settledRss: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const spec = await nodeUploadSpec(node, `/round-${round}`);
      // One at a time: fetch's global pool would otherwise keep ~50 keep-alive sockets to the node
      // open past the idle check (Fastify announces a 72 s keep-alive), which are ours, not a leak.
      const signed: string[] = [];
      for (const s of seeds) signed.push(await presign(node.gatewayUrl, await nodeDownloadSpec(node, [s.nodePath])));
      const [uploads, downloads] = await Promise.all([
        Promise.all(sources.map((s, i) => uploadFile(node.gatewayUrl, spec, s.file, `file-${i}.bin`, FILE_BYTES, path.join(work, `up-${round}-${i}.curl`)))),
        Promise.all(signed.map((url) => downloadSha256(url, agent))),
      ]);
      expect(uploads.filter((u) => u.status !== 200)).toEqual([]);
      expect(downloads.map((d) => [d.status, d.bytes, d.sha256])).toEqual(seeds.map((s) => [200, FILE_BYTES, s.sha256]));
      const stored = await Promise.all(sources.map((_, i) => sha256File(path.join(node.docroot, `round-${round}`, `file-${i}.bin`))));
      expect(stored).toEqual(sources.map((s) => s.sha256));
      expect(readdirSync(path.join(node.docroot, '.courier-staging'))).toEqual([]);
      rmSync(path.join(node.docroot, `round-${round}`), { recursive: true });
      settledRss.push(currentRss(node.pid));
    }

    await agent.close();
    const fds = await settle(() => openFds(node.pid), (n) => n <= idleFds + FD_SLACK);
    expect(fds, `descriptors idle ${JSON.stringify(idleTargets)}, after ${JSON.stringify(fdTargets(node.pid))}`).toBeLessThanOrEqual(idleFds + FD_SLACK);
    const rss = await settle(() => currentRss(node.pid), (n) => n <= idleRss + RSS_BUDGET / 2, 50);
    const mb = (n: number) => `${Math.round(n / MB)} MB`;
    process.stdout.write(`load: RSS idle ${mb(idleRss)}, peak ${mb(peakRss(node.pid))}, after each round ${settledRss.map(mb).join(', ')}, settled ${mb(rss)}; fds idle ${idleFds}, after ${fds}\n`);
    expect(peakRss(node.pid)).toBeLessThanOrEqual(idleRss + RSS_BUDGET);
    expect(rss).toBeLessThanOrEqual(idleRss + RSS_BUDGET);
  });
});
