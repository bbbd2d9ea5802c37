/**
 * One page (1,000 entries from the middle) of a 1,000- and a 100,000-entry folder through the
 * portal's `GET /api/spaces/:id/files` vs a raw `fs.readdir` of that folder in this process.
 */
import { readdir } from 'node:fs/promises';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { createSpace, login, type PortalSession } from '../lib/clients';
import { startCourier } from '../lib/processes';
import type { BenchOptions, BenchRow } from '../lib/report';
import { interleave, spread } from '../lib/stats';
import { shell, timed } from '../lib/tools';

const PAGE = 1000;

export async function browseBench(o: BenchOptions): Promise<BenchRow[]> {
  const courier = await startCourier();
  try {
    const session = await login(courier);
    const space = await createSpace(session, 'bench-browse');
    const rows: BenchRow[] = [];
    const pageMs: Record<number, number> = {};
    for (const entries of o.browseEntries) {
      const folder = `entries-${entries}`;
      const abs = path.join(courier.docroot, space.nodeFolder, folder);
      mkdirSync(abs, { recursive: true });
      // xargs touch: about three times faster than fs calls for 100,000 entries.
      await shell(`seq -f 'file-%06g.txt' 0 ${entries - 1} | xargs touch`, abs);
      const skip = Math.max(0, Math.floor(entries / 2) - PAGE / 2);
      const page = (s: PortalSession) =>
        s.api<{ items: unknown[]; totalCount: number }>('GET', `/api/spaces/${space.id}/files?path=/${folder}&skip=${skip}&count=${PAGE}`);
      const first = await timed(() => page(session));
      if (first.value.totalCount !== entries || first.value.items.length !== Math.min(PAGE, entries)) {
        throw new Error(`page of ${folder}: ${first.value.items.length} items of ${first.value.totalCount}`);
      }
      await readdir(abs);
      const times: number[] = [];
      const result = await interleave(
        Math.max(o.runs, 10),
        async () => {
          const { seconds } = await timed(() => page(session));
          times.push(seconds * 1000);
          return 1 / seconds;
        },
        async () => {
          const { seconds } = await timed(() => readdir(abs));
          return 1 / seconds;
        },
      );
      pageMs[entries] = spread(times).median;
      rows.push({
        name: `browse, one page of ${entries.toLocaleString('en')} entries`,
        courier: `GET /api/spaces/:id/files, ${PAGE} from the middle`,
        reference: 'fs.readdir of the folder',
        unit: 'pages/s',
        courierValue: result.courier,
        referenceValue: result.reference,
        ratio: result.ratio,
        runs: result.runs,
        goal: 'report',
        met: null,
        notes: [`first (cold) page ${(first.seconds * 1000).toFixed(0)} ms; later pages come from the node's cached listing.`],
      });
    }
    const [small, large] = [Math.min(...o.browseEntries), Math.max(...o.browseEntries)];
    const [smallMs, largeMs] = [pageMs[small] ?? NaN, pageMs[large] ?? NaN];
    if (small !== large) {
      const growth = largeMs / smallMs;
      rows.push({
        name: `browse, page time ${large.toLocaleString('en')} / ${small.toLocaleString('en')} entries`,
        courier: 'portal page time ratio',
        reference: '—',
        unit: '×',
        courierValue: { median: growth, min: growth, max: growth },
        referenceValue: null,
        ratio: null,
        runs: Math.max(o.runs, 10),
        goal: 'does not grow (< 2×)',
        met: growth < 2,
        notes: [`medians: ${smallMs.toFixed(1)} ms vs ${largeMs.toFixed(1)} ms per page.`],
      });
    }
    return rows;
  } finally {
    await courier.stop();
  }
}
