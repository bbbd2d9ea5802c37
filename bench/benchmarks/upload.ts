/**
 * Uploads to the node alone. One large file: curl posting the v3 multipart vs dd writing the same
 * bytes to the same disk. Many small files: one multipart request with all of them vs cp -r of
 * the same folder to the same disk (what creating that many files costs the file system).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { nodeUploadSpec } from '../lib/clients';
import { startNode, tempDir } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { interleave } from '../lib/stats';
import { curlGatewayUpload, ddCopy, shell, timed } from '../lib/tools';
import { randomFile, randomFiles } from './transfer-files';

export async function uploadBench(o: BenchOptions): Promise<BenchRow[]> {
  const node = await startNode();
  // The sources, dd's target and the docroot share one file system (the temp folder's).
  const work = tempDir('upload');
  try {
    const source = path.join(work, 'large.bin');
    await randomFile(source, o.size);
    const ddTarget = path.join(work, 'dd-target.bin');
    const nodeTarget = path.join(node.docroot, 'bench', 'large.bin');
    const curlConfig = path.join(work, 'large.curl');
    const large = await interleave(
      o.runs,
      async () => {
        rmSync(nodeTarget, { force: true });
        // An upload token carries one upload: each run asks for its own, outside the timing.
        const spec = await nodeUploadSpec(node, '/bench');
        const { seconds } = await timed(() =>
          curlGatewayUpload(node.gatewayUrl, spec, [{ file: source, name: 'large.bin', size: o.size }], curlConfig),
        );
        return o.size / 2 ** 20 / seconds;
      },
      async () => {
        rmSync(ddTarget, { force: true });
        const { seconds } = await timed(() => ddCopy(source, ddTarget));
        return o.size / 2 ** 20 / seconds;
      },
    );

    const smallDir = path.join(work, 'small');
    const names = randomFiles(smallDir, o.files, o.fileSize);
    const parts = names.map((name) => ({ file: path.join(smallDir, name), name, size: o.fileSize }));
    const cpTarget = path.join(work, 'cp-target');
    const manyConfig = path.join(work, 'many.curl');
    const many = await interleave(
      Math.max(3, Math.ceil(o.runs / 2)),
      async () => {
        rmSync(path.join(node.docroot, 'many'), { recursive: true, force: true });
        const smallSpec = await nodeUploadSpec(node, '/many');
        const { seconds, value } = await timed(() => curlGatewayUpload(node.gatewayUrl, smallSpec, parts, manyConfig));
        const files = (JSON.parse(value) as { files: unknown[] }).files.length;
        if (files !== o.files) throw new Error(`the node stored ${files} of ${o.files} files`);
        return o.files / seconds;
      },
      async () => {
        rmSync(cpTarget, { recursive: true, force: true });
        const { seconds } = await timed(() => shell(`cp -r '${smallDir}' '${cpTarget}'`));
        return o.files / seconds;
      },
    );
    return [
      {
        name: `upload, one ${formatBytes(o.size)} file, node alone`,
        courier: 'curl v3 multipart to the node',
        reference: 'dd bs=1M, no fsync, same disk',
        unit: 'MiB/s',
        courierValue: large.courier,
        referenceValue: large.reference,
        ratio: large.ratio,
        runs: large.runs,
        goal: 'report',
        met: null,
        notes: [
          'Neither side fsyncs: the node writes through the page cache and renames the partial (transfer-node/storage/upload-writer.ts), so dd runs without conv=fsync.',
        ],
      },
      {
        name: `upload, ${o.files} files of ${formatBytes(o.fileSize)}, node alone`,
        courier: 'curl, one v3 multipart request',
        reference: 'cp -r, same disk',
        unit: 'files/s',
        courierValue: many.courier,
        referenceValue: many.reference,
        ratio: many.ratio,
        runs: many.runs,
        goal: 'report (Chromium ≥ 0.5 of curl waits for the SPA client)',
        met: null,
        notes: [],
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
    await node.stop();
  }
}
