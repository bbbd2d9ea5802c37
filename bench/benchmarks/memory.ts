/**
 * Peak resident memory (VmHWM) of `courier start` (portal and embedded node in one process) while a
 * large file goes up through the gateway and comes back down, against the same process idle.
 */
import path from 'node:path';
import { createSpace, gatewayOf, login, portalDownload, portalUpload, presign } from '../lib/clients';
import { currentRss, peakRss, resetPeakRss, startCourier, tempDir } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { curlDownload, curlGatewayUpload } from '../lib/tools';
import { randomFile } from './transfer-files';
import { rmSync } from 'node:fs';

const MB = 1e6;
const GOAL_MB = 100;
// VmRSS sampled this often as well, in case VmHWM cannot be reset (not root).
const SAMPLE_MS = 50;

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
    let sampled = 0;
    const sampler = setInterval(() => (sampled = Math.max(sampled, currentRss(courier.pid))), SAMPLE_MS);
    const peak = () => Math.max(sampled, peakRss(courier.pid));
    const roundTrip = async (file: string, name: string, size: number) => {
      const up = await portalUpload(session, space.id, '/memory', [{ path: name, size }]);
      await curlGatewayUpload(gatewayOf(up), up.transferSpec, [{ file, name, size }], path.join(work, `${name}.curl`));
      const afterUpload = peak();
      const down = await portalDownload(session, space.id, [`/memory/${name}`]);
      const received = await curlDownload(await presign(gatewayOf(down), down.transferSpec));
      if (received !== size) throw new Error(`downloaded ${received} of ${size} bytes`);
      return afterUpload;
    };
    let idle: number;
    let afterUpload: number;
    let afterDownload: number;
    let reset: boolean;
    try {
      // Idle means after one small round trip, so code loaded on first use is not counted as growth.
      await roundTrip(small, 'small.bin', 1024 * 1024);
      // Start-up (tsx compiling the sources) peaks higher than idle: measure from here on.
      reset = resetPeakRss(courier.pid);
      idle = currentRss(courier.pid);
      sampled = idle;
      afterUpload = await roundTrip(source, 'large.bin', o.memorySize);
      afterDownload = peak();
    } finally {
      clearInterval(sampler);
    }
    const growth = (afterDownload - idle) / MB;
    const point = (v: number) => ({ median: v, min: v, max: v });
    return [
      {
        name: `memory, ${formatBytes(o.memorySize)} up then down`,
        courier: 'courier start: peak RSS growth',
        reference: 'same process idle (RSS)',
        unit: 'MB',
        courierValue: point(growth),
        referenceValue: point(idle / MB),
        ratio: null,
        runs: 1,
        goal: `growth < ${GOAL_MB} MB`,
        met: growth < GOAL_MB,
        notes: [
          `RSS idle ${(idle / MB).toFixed(0)} MB; peak during the upload ${(afterUpload / MB).toFixed(0)} MB, during the download ${(afterDownload / MB).toFixed(0)} MB ` +
            `(${reset ? 'VmHWM reset at idle via clear_refs, and' : 'VmHWM not resettable here, so only'} VmRSS sampled every ${SAMPLE_MS} ms); the portal and the embedded node share this process.`,
        ],
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
    await courier.stop();
  }
}
