/**
 * Peak resident memory (VmHWM) of `courier start` (portal and embedded node in one process) while a
 * large file goes up through the gateway and comes back down, against the same process idle.
 */
import path from 'node:path';
import { createSpace, gatewayOf, login, portalDownload, portalUpload, presign } from '../lib/clients';
import { peakRss, startCourier, tempDir } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { curlDownload, curlGatewayUpload } from '../lib/tools';
import { randomFile } from './transfer-files';
import { rmSync } from 'node:fs';

const MB = 1e6;
const GOAL_MB = 100;

export async function memoryBench(o: BenchOptions): Promise<BenchRow[]> {
  const courier = await startCourier();
  const work = tempDir('memory');
  try {
    const session = await login(courier);
    const space = await createSpace(session, 'bench-memory');
    const source = path.join(work, 'large.bin');
    const small = path.join(work, 'small.bin');
    await randomFile(source, o.memorySize);
    await randomFile(small, 1024 * 1024);
    const roundTrip = async (file: string, name: string, size: number) => {
      const up = await portalUpload(session, space.id, '/memory', [{ path: name, size }]);
      await curlGatewayUpload(gatewayOf(up), up.transferSpec, [{ file, name, size }], path.join(work, `${name}.curl`));
      const afterUpload = peakRss(courier.pid);
      const down = await portalDownload(session, space.id, [`/memory/${name}`]);
      const received = await curlDownload(await presign(gatewayOf(down), down.transferSpec));
      if (received !== size) throw new Error(`downloaded ${received} of ${size} bytes`);
      return afterUpload;
    };
    // Idle means after one small round trip, so code loaded on first use is not counted as growth.
    await roundTrip(small, 'small.bin', 1024 * 1024);
    const idle = peakRss(courier.pid);
    const afterUpload = await roundTrip(source, 'large.bin', o.memorySize);
    const afterDownload = peakRss(courier.pid);
    const growth = (afterDownload - idle) / MB;
    const point = (v: number) => ({ median: v, min: v, max: v });
    return [
      {
        name: `memory, ${formatBytes(o.memorySize)} up then down`,
        courier: 'courier start: peak RSS growth',
        reference: 'same process idle (peak RSS)',
        unit: 'MB',
        courierValue: point(growth),
        referenceValue: point(idle / MB),
        ratio: null,
        runs: 1,
        goal: `growth < ${GOAL_MB} MB`,
        met: growth < GOAL_MB,
        notes: [`VmHWM idle ${(idle / MB).toFixed(0)} MB, after upload ${(afterUpload / MB).toFixed(0)} MB, after download ${(afterDownload / MB).toFixed(0)} MB; the portal and the embedded node share this process.`],
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
    await courier.stop();
  }
}
