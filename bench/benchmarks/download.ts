/**
 * One large file: the node's signed URL fetched by curl vs Debian nginx serving the same file; and
 * the same signed URL through nginx in front of a node with COURIER_NODE_ACCEL_REDIRECT (the node
 * authorizes, nginx sends: docs/http-gateway.md §5.4) vs that nginx serving the file directly.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../../test-kit/courier-process';
import { freePort } from '../../test-kit/free-port';
import { nodeDownloadSpec, presign } from '../lib/clients';
import { startNginx, startNginxWith, startNode } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { interleave } from '../lib/stats';
import { curlDownload, timed } from '../lib/tools';
import { randomFile } from './transfer-files';

export async function downloadBench(o: BenchOptions): Promise<BenchRow[]> {
  const node = await startNode();
  mkdirSync(path.join(node.docroot, 'bench'), { recursive: true });
  await randomFile(path.join(node.docroot, 'bench', 'large.bin'), o.size);
  const nginx = await startNginx(node.docroot);
  // A second node on the same docroot (the same file, the same page cache) behind its own nginx,
  // running the repository's locations file; that nginx also serves the file directly.
  const proxyPort = await freePort();
  const accelNode = await startNode({
    docroot: node.docroot,
    env: { COURIER_NODE_PUBLIC_URL: `http://127.0.0.1:${proxyPort}`, COURIER_NODE_ACCEL_REDIRECT: '/_courier_docroot/' },
  });
  const proxy = await startNginxWith(
    (port) => `  upstream courier_node { server 127.0.0.1:${new URL(accelNode.url).port}; }
  server {
    listen 127.0.0.1:${port};
    set $courier_node_docroot ${node.docroot};
    include ${path.join(REPO_ROOT, 'deploy/nginx/courier-node-locations.conf')};
    location /direct/ { alias ${node.docroot}/; sendfile on; tcp_nopush on; }
  }`,
    proxyPort,
  );
  try {
    const signedUrl = await presign(node.gatewayUrl, await nodeDownloadSpec(node, ['/bench/large.bin']));
    const nginxUrl = `${nginx.url}/bench/large.bin`;
    // `range`: all but the first byte, as Chromium's download manager resumes (a 206 from both).
    const mibPerSecond = async (url: string, range?: '1-') => {
      const expected = range ? o.size - 1 : o.size;
      const { seconds, value } = await timed(() => curlDownload(url, range));
      if (value !== expected) throw new Error(`${url} sent ${value} bytes, expected ${expected}`);
      return expected / 2 ** 20 / seconds;
    };
    // One untimed fetch each: both sides then read the file from the page cache.
    await mibPerSecond(signedUrl);
    await mibPerSecond(nginxUrl);
    const accelUrl = await presign(accelNode.gatewayUrl, await nodeDownloadSpec(accelNode, ['/bench/large.bin']));
    if (!accelUrl.startsWith(proxy.url)) throw new Error(`the node behind nginx signed ${accelUrl}, not a URL of ${proxy.url}`);
    const directUrl = `${proxy.url}/direct/bench/large.bin`;
    await mibPerSecond(accelUrl);
    await mibPerSecond(directUrl);
    const accel = await interleave(
      o.runs,
      () => mibPerSecond(accelUrl),
      () => mibPerSecond(directUrl),
    );
    const result = await interleave(
      o.runs,
      () => mibPerSecond(signedUrl),
      () => mibPerSecond(nginxUrl),
    );
    const resumed = await interleave(
      o.runs,
      () => mibPerSecond(signedUrl, '1-'),
      () => mibPerSecond(nginxUrl, '1-'),
    );
    return [
      {
        name: `download, one ${formatBytes(o.size)} file, node behind nginx (X-Accel-Redirect)`,
        courier: 'node signed URL through nginx, handed off, curl',
        reference: 'the same nginx serving the file, curl',
        unit: 'MiB/s',
        courierValue: accel.courier,
        referenceValue: accel.reference,
        ratio: accel.ratio,
        runs: accel.runs,
        goal: '≥ 0.97',
        met: accel.ratio.median >= 0.97,
        notes: [],
      },
      {
        name: `download, one ${formatBytes(o.size)} file, resumed (Range: bytes=1-)`,
        courier: 'node signed URL, curl -r 1-',
        reference: 'Debian nginx, curl -r 1-',
        unit: 'MiB/s',
        courierValue: resumed.courier,
        referenceValue: resumed.reference,
        ratio: resumed.ratio,
        runs: resumed.runs,
        goal: '≥ 0.9',
        met: resumed.ratio.median >= 0.9,
        notes: [],
      },
      {
        name: `download, one ${formatBytes(o.size)} file`,
        courier: 'node signed URL, curl',
        reference: 'Debian nginx, curl',
        unit: 'MiB/s',
        courierValue: result.courier,
        referenceValue: result.reference,
        ratio: result.ratio,
        runs: result.runs,
        goal: '≥ 0.9',
        met: result.ratio.median >= 0.9,
        notes: [],
      },
    ];
  } finally {
    await proxy.stop();
    await accelNode.stop();
    await nginx.stop();
    await node.stop();
  }
}
