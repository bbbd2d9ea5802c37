/**
 * Node to node (scenario S6, docs/node-api.md §5.1): one large file sent by a source node, asked
 * with `POST /ops/transfers`, to a destination node's HTTP Gateway, against curl posting the same
 * file (from the same disk) to the same gateway with the same kind of spec. Both are timed from
 * the request to the destination's answer (the source node's record turning `completed`).
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { NodeProcess } from '../../test-kit/courier-process';
import { nodeUploadSpec } from '../lib/clients';
import { startNode } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { interleave } from '../lib/stats';
import { curlGatewayUpload, timed } from '../lib/tools';
import { randomFile } from './transfer-files';

// How often the source node's record is read: 20 ms is under 1 % of a 1 GiB transfer at ~1 GiB/s.
const POLL_MS = 20;

async function nodeToNode(source: NodeProcess, spec: Record<string, unknown>, sourcePath: string): Promise<void> {
  const res = await fetch(`${source.url}/ops/transfers`, {
    method: 'POST',
    headers: { authorization: source.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ ...spec, paths: [{ source: sourcePath }] }),
  });
  if (res.status !== 200) throw new Error(`POST /ops/transfers → ${res.status} ${await res.text()}`);
  const { id } = (await res.json()) as { id: string };
  for (;;) {
    const record = (await (await fetch(`${source.url}/ops/transfers/${id}`, { headers: { authorization: source.auth } })).json()) as {
      status: string;
      error_desc: string;
    };
    if (record.status === 'completed') return;
    if (record.status !== 'running') throw new Error(`node-to-node transfer ${record.status}: ${record.error_desc}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

export async function nodeToNodeBench(o: BenchOptions): Promise<BenchRow[]> {
  const [source, destination] = await Promise.all([startNode(), startNode()]);
  try {
    const file = path.join(source.docroot, 'bench', 'large.bin');
    await randomFile(file, o.size);
    const target = path.join(destination.docroot, 'bench', 'large.bin');
    const curlConfig = path.join(source.dir, 'large.curl');
    const result = await interleave(
      o.runs,
      async () => {
        rmSync(target, { force: true });
        // One upload token carries one upload: each run asks for its own, outside the timing.
        const spec = await nodeUploadSpec(destination, '/bench');
        const { seconds } = await timed(() => nodeToNode(source, spec, '/bench/large.bin'));
        return o.size / 2 ** 20 / seconds;
      },
      async () => {
        rmSync(target, { force: true });
        const spec = await nodeUploadSpec(destination, '/bench');
        const { seconds } = await timed(() =>
          curlGatewayUpload(destination.gatewayUrl, spec, [{ file, name: 'large.bin', size: o.size }], curlConfig),
        );
        return o.size / 2 ** 20 / seconds;
      },
    );
    return [
      {
        name: `node to node, one ${formatBytes(o.size)} file`,
        courier: 'POST /ops/transfers on the source node',
        reference: "curl v3 multipart to the destination's gateway",
        unit: 'MiB/s',
        courierValue: result.courier,
        referenceValue: result.reference,
        ratio: result.ratio,
        runs: result.runs,
        goal: '≥ 0.9',
        met: result.ratio.median >= 0.9,
        notes: ['Both read the same file from the same disk and write through the same destination node on loopback.'],
      },
    ];
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}
