/**
 * Node to node (scenario S6, docs/node-api.md §5.1): one large file sent by a source node, asked
 * with `POST /ops/transfers`, to a destination node's HTTP Gateway, against curl posting the same
 * file (from the same disk) to the same gateway with the same kind of spec. Both are timed from
 * the request to the destination's answer (the source node's record turning `completed`). The
 * source sends through the destination's upload sessions (docs/http-gateway.md §11), so a second
 * reference is curl sending the same parts in parallel to them: the first row says what the
 * issue asks (against curl's one multipart upload), the second whether the sender itself is slow.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { NodeProcess } from '../../test-kit/courier-process';
import { nodeUploadSpec } from '../lib/clients';
import { startNode } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { spread } from '../lib/stats';
import { PARALLEL, PART_BYTES } from '../../transfer-node/ops/session-client';
import { curlGatewayUpload, curlSessionUpload, timed } from '../lib/tools';
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
    const mibPerSecond = async (send: (spec: Record<string, unknown>) => Promise<unknown>) => {
      rmSync(target, { force: true });
      // One upload token carries one upload: each run asks for its own, outside the timing.
      const spec = await nodeUploadSpec(destination, '/bench');
      const { seconds } = await timed(() => send(spec));
      return o.size / 2 ** 20 / seconds;
    };
    const sides = [
      () => mibPerSecond((spec) => nodeToNode(source, spec, '/bench/large.bin')),
      () =>
        mibPerSecond((spec) => curlGatewayUpload(destination.gatewayUrl, spec, [{ file, name: 'large.bin', size: o.size }], curlConfig)),
      () =>
        mibPerSecond((spec) =>
          curlSessionUpload(destination.gatewayUrl, spec, { file, name: 'large.bin', size: o.size }, PART_BYTES, PARALLEL),
        ),
    ];
    // Each run starts with another side, so none always meets a warm or a cold cache first.
    const samples: number[][] = [[], [], []];
    for (let run = 0; run < o.runs; run++) {
      for (let k = 0; k < sides.length; k++) {
        const side = (run + k) % sides.length;
        samples[side]?.push(await (sides[side] as () => Promise<number>)());
      }
    }
    const [courier = [], multipart = [], parts = []] = samples;
    const row = (reference: number[], name: string, label: string, goal: string | null): BenchRow => {
      const ratio = spread(courier.map((c, i) => c / (reference[i] as number)));
      return {
        name: `node to node, one ${formatBytes(o.size)} file${name}`,
        courier: 'POST /ops/transfers on the source node',
        reference: label,
        unit: 'MiB/s',
        courierValue: spread(courier),
        referenceValue: spread(reference),
        ratio,
        runs: o.runs,
        goal: goal ?? 'report',
        met: goal === null ? null : ratio.median >= 0.9,
        notes: ['Both read the same file from the same disk and write through the same destination node on loopback.'],
      };
    };
    return [
      row(multipart, '', "curl v3 multipart to the destination's gateway", '≥ 0.9'),
      row(
        parts,
        ', against the same parts',
        `curl, ${PARALLEL} parts of ${formatBytes(PART_BYTES)} at once, to the destination's upload session`,
        null,
      ),
    ];
  } finally {
    await Promise.all([source.stop(), destination.stop()]);
  }
}
