/** One large file: the node's signed URL fetched by curl vs Debian nginx serving the same file. */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { nodeDownloadSpec, presign } from '../lib/clients';
import { startNginx, startNode } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { interleave } from '../lib/stats';
import { curlDownload, timed } from '../lib/tools';
import { randomFile } from './transfer-files';

export async function downloadBench(o: BenchOptions): Promise<BenchRow[]> {
  const node = await startNode();
  mkdirSync(path.join(node.docroot, 'bench'), { recursive: true });
  await randomFile(path.join(node.docroot, 'bench', 'large.bin'), o.size);
  const nginx = await startNginx(node.docroot);
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
    await nginx.stop();
    await node.stop();
  }
}
