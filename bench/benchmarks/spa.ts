/**
 * The SPA in Chromium: what its first load weighs (gzip), how long a deep link to a large folder
 * takes to show rows, and how busy the main thread is while 500 transfers report progress. No
 * reference: these rows report, and the initial JS must stay under 300 KB gzip. BENCH_SPA_TRANSFERS
 * and BENCH_SPA_UPDATE_MS change the transfers load (default 500 transfers, each updating every second).
 */
import { createSpace, login } from '../lib/clients';
import { buildSpa, launchChromium } from '../lib/browser';
import { startCourier } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { spread, type Spread } from '../lib/stats';
import { folderUrl } from '../../src/lib/folder-url';
import { initialAssets, kb, loginPageAssets, weigh, type AssetWeight } from './spa-bundle';
import { largeFolder, sessionState, timeToFirstRows } from './spa-first-rows';
import { transfersBusy, type TransfersLoad, type WindowSample } from './spa-transfers';
import type { Browser } from '@playwright/test';

const INITIAL_JS_GOAL_KB = 300;
const TRANSFERS: TransfersLoad = {
  transfers: Number(process.env.BENCH_SPA_TRANSFERS ?? 500),
  // Desktop pushes a transfer's activity about once a second.
  updateMs: Number(process.env.BENCH_SPA_UPDATE_MS ?? 1000),
  windowSeconds: 10,
};

const point = (v: number): Spread => ({ median: v, min: v, max: v });

function row(
  name: string,
  courier: string,
  unit: string,
  value: Spread,
  runs: number,
  goal: string,
  met: boolean | null,
  notes: string[],
): BenchRow {
  return { name, courier, reference: '—', unit, courierValue: value, referenceValue: null, ratio: null, runs, goal, met, notes };
}

const listed = (w: AssetWeight) =>
  `${w.files.length} files (${w.files.join(', ')}); ${formatBytes(w.wire)} on the wire to a browser that accepts brotli (the build's .br files), ${formatBytes(w.raw)} uncompressed`;

function weightRows(initial: AssetWeight, loginPage: AssetWeight, filesPage: AssetWeight): BenchRow[] {
  return [
    row(
      'SPA initial JS (index.html), gzip',
      'entry script + modulepreloads',
      'KiB',
      point(kb(initial.js)),
      1,
      `< ${INITIAL_JS_GOAL_KB} KiB`,
      kb(initial.js) < INITIAL_JS_GOAL_KB,
      [listed(initial)],
    ),
    row('SPA initial CSS (index.html), gzip', 'stylesheets index.html links', 'KiB', point(kb(initial.css)), 1, 'report', null, []),
    row(
      'SPA login page, JS + CSS, gzip',
      'what Chromium fetches for /login',
      'KiB',
      point(kb(loginPage.js + loginPage.css)),
      1,
      'report',
      null,
      [`JS ${kb(loginPage.js).toFixed(1)} KiB + CSS ${kb(loginPage.css).toFixed(1)} KiB; ${listed(loginPage)}.`],
    ),
    row(
      'SPA files page total, JS + CSS, gzip',
      'what Chromium fetches for a folder deep link',
      'KiB',
      point(kb(filesPage.js + filesPage.css)),
      1,
      'report',
      null,
      [
        `JS ${kb(filesPage.js).toFixed(1)} KiB + CSS ${kb(filesPage.css).toFixed(1)} KiB, lazy route chunks included; ${listed(filesPage)}.`,
      ],
    ),
  ];
}

/** A deep link to each folder size, alternating which size goes first; the first large run also weighs the files page. */
async function folderRows(browser: Browser, o: BenchOptions): Promise<BenchRow[]> {
  const courier = await startCourier();
  try {
    const session = await login(courier);
    const space = await createSpace(session, 'bench-spa');
    const folders = new Map<number, string>();
    for (const entries of o.browseEntries) folders.set(entries, await largeFolder(courier, space.nodeFolder, entries));
    const state = sessionState(session);
    const times = new Map<number, number[]>(o.browseEntries.map((n) => [n, []]));
    let filesAssets: string[] = [];
    for (let run = 0; run < o.runs; run++) {
      const order = run % 2 === 0 ? o.browseEntries : [...o.browseEntries].reverse();
      for (const entries of order) {
        const first = await timeToFirstRows(browser, courier.url, state, folderUrl(space.id, `/${folders.get(entries) ?? ''}`));
        if (first.rowCount !== entries) throw new Error(`the grid announced ${first.rowCount} rows for ${entries} entries`);
        times.get(entries)?.push(first.ms);
        if (filesAssets.length === 0) filesAssets = first.assets;
      }
    }
    const loginAssets = await loginPageAssets(browser, courier.url);
    return [
      ...weightRows(weigh(initialAssets()), weigh(loginAssets), weigh(filesAssets)),
      ...o.browseEntries.map((entries) =>
        row(
          `SPA time to first rows, ${entries.toLocaleString('en')} entries`,
          'deep link, empty cache: navigation start → first entry row',
          'ms',
          spread(times.get(entries) ?? []),
          o.runs,
          'report',
          null,
          ['measured in the page (MutationObserver, performance.now()); the node caches the listing after the first run.'],
        ),
      ),
    ];
  } finally {
    await courier.stop();
  }
}

const perSecond = (w: WindowSample) =>
  `busy ${w.busyMsPerSecond.toFixed(0)} ms/s (script ${w.scriptMsPerSecond.toFixed(0)}, style ${w.styleMsPerSecond.toFixed(0)}, layout ${w.layoutMsPerSecond.toFixed(0)}), ` +
  `renderer CPU ${w.rendererCpuMsPerSecond.toFixed(0)} ms/s, ${w.longTasks} long tasks (> 50 ms, longest ${w.longestTaskMs.toFixed(0)} ms)`;

async function transfersRows(browser: Browser): Promise<BenchRow[]> {
  const { updating, quiet, rows } = await transfersBusy(browser, TRANSFERS);
  const seconds = TRANSFERS.windowSeconds;
  const notes = [
    `${(updating.events / seconds).toFixed(0)} progress events/s delivered by the (fake) SDK of ${(TRANSFERS.transfers * 1000) / TRANSFERS.updateMs} scheduled ` +
      `(its timers share the page's main thread, so a saturated page receives fewer) into ${rows} rows; mean progress shown ${updating.percentBefore.toFixed(1)}% → ${updating.percentAfter.toFixed(1)}% over ${seconds} s.`,
    `Updating: ${perSecond(updating)}. The same panel once the SDK goes quiet: ${perSecond(quiet)}.`,
  ];
  const name = `${TRANSFERS.transfers} transfers updating`;
  return [
    row(
      `SPA main thread, ${name}`,
      `task time per s of wall time (CDP TaskDuration), ${seconds} s`,
      'ms/s',
      point(updating.busyMsPerSecond),
      1,
      'report',
      null,
      notes,
    ),
    row(
      `SPA renderer CPU, ${name}`,
      `renderer processes' CPU time per s of wall time, ${seconds} s`,
      'ms/s',
      point(updating.rendererCpuMsPerSecond),
      1,
      'report',
      null,
      [`quiet panel: ${quiet.rendererCpuMsPerSecond.toFixed(0)} ms/s; CPU time is what a busy machine does not inflate, unlike task time.`],
    ),
  ];
}

export async function spaBench(o: BenchOptions): Promise<BenchRow[]> {
  buildSpa();
  const browser = await launchChromium();
  try {
    return [...(await folderRows(browser, o)), ...(await transfersRows(browser))];
  } finally {
    await browser.close();
  }
}
