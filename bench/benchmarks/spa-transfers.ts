/**
 * Main-thread cost of the transfers panel while many transfers report progress, through the
 * production path: "Upload files" clicked once per transfer, Desktop's dialog (the fake SDK at the
 * SDK boundary) picks a file, the portal authorizes it, the fake plays Desktop's progress events,
 * and the SDK adapter, the runner, the zustand store and the rows turn them into what is drawn.
 * Busy time comes from CDP `Performance.getMetrics` (TaskDuration) over a window of wall time.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, CDPSession, Page } from '@playwright/test';
import { folderUrl } from '../../src/lib/folder-url';
import { installFakeAsperaSdk } from '../../src/transfer-clients/aspera-sdk/testing/install-fake-aspera-sdk';
import { login, type PortalSession } from '../lib/clients';
import { startCourier } from '../lib/processes';
import { sessionState } from './spa-first-rows';

// Nothing answers this host: the page gets the fake SDK from a Playwright route (as e2e does).
const SDK_URL = 'https://sdk.courier.test/aspera-sdk.js';
const SPACE_NAME = 'Bench Desktop';
// A long task, as the Long Tasks API and Lighthouse count them.
const LONG_TASK_MS = 50;

export interface TransfersLoad {
  transfers: number;
  /** Milliseconds between two progress events of one transfer. */
  updateMs: number;
  windowSeconds: number;
}

export interface WindowSample {
  /** Main-thread task time per second of wall time, in ms (inflated when other processes hold the cores). */
  busyMsPerSecond: number;
  scriptMsPerSecond: number;
  /** Style recalculation and layout, per second of wall time, in ms. */
  styleMsPerSecond: number;
  layoutMsPerSecond: number;
  /** CPU time of Chromium's renderer processes (all their threads) per second of wall time, in ms. */
  rendererCpuMsPerSecond: number;
  longTasks: number;
  longestTaskMs: number;
  /** Progress events the SDK delivered in the window. */
  events: number;
  /** Mean percentage shown by the rows at the start and the end of the window. */
  percentBefore: number;
  percentAfter: number;
}

export interface BusyResult {
  updating: WindowSample;
  /** The same panel and rows once the SDK stops reporting: what the page costs without updates. */
  quiet: WindowSample;
  rows: number;
}

/**
 * The portal offers Desktop only for spaces on an HSTS node: the embedded node registered a second
 * time as `hsts` (its own URL and credentials) gives one, as e2e/desktop-client.spec.ts does.
 */
async function desktopSpace(session: PortalSession, dataDir: string): Promise<string> {
  const secrets = JSON.parse(readFileSync(path.join(dataDir, 'node', 'secrets.json'), 'utf8')) as {
    node_user: string;
    node_password: string;
  };
  const { nodes } = await session.api<{ nodes: Array<{ kind: string; url: string; gatewayUrl: string | null }> }>('GET', '/api/nodes');
  const embedded = nodes.find((n) => n.kind === 'embedded');
  if (!embedded) throw new Error('no embedded node');
  const node = await session.api<{ id: string }>('POST', '/api/nodes', {
    name: 'Bench HSTS',
    url: embedded.url,
    username: secrets.node_user,
    secret: secrets.node_password,
    gatewayUrl: embedded.gatewayUrl,
    kind: 'hsts',
  });
  return (await session.api<{ id: string }>('POST', '/api/spaces', { name: SPACE_NAME, nodeId: node.id })).id;
}

/** Clicks "Upload files" once per transfer; each click picks one file in Desktop's (fake) dialog. */
async function startTransfers(page: Page, count: number): Promise<void> {
  await page.getByText('IBM Aspera for Desktop is running.').waitFor({ timeout: 30_000 });
  await page.evaluate((n) => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Upload files');
    if (!button) throw new Error('no Upload files button');
    for (let i = 0; i < n; i++) button.click();
  }, count);
  await page.waitForFunction(
    (n) => (window as unknown as { __fakeAsperaSdk: { started: unknown[] } }).__fakeAsperaSdk.started.length >= n,
    count,
    { timeout: 300_000, polling: 500 },
  );
}

type FakeWindow = {
  __fakeAsperaSdk: { activityCallbacks: Map<string, (r: unknown) => void>; timers: Map<string, number[]> };
  __benchEvents: number;
  __benchLongTasks: number[];
  __benchInstrumented?: boolean;
};

/** Counts the activity events the fake delivers, and the long tasks; installed once, reset per window. */
function instrument(): void {
  const w = window as unknown as FakeWindow;
  w.__benchEvents = 0;
  w.__benchLongTasks = [];
  if (w.__benchInstrumented) return;
  w.__benchInstrumented = true;
  for (const [id, cb] of w.__fakeAsperaSdk.activityCallbacks) {
    w.__fakeAsperaSdk.activityCallbacks.set(id, (r) => {
      w.__benchEvents += 1;
      cb(r);
    });
  }
  new PerformanceObserver((list) =>
    (window as unknown as FakeWindow).__benchLongTasks.push(...list.getEntries().map((e) => e.duration)),
  ).observe({ type: 'longtask' });
}

/** Desktop stops reporting: the fake's pending progress steps are dropped (its timers are test state). */
function silenceSdk(): void {
  const fake = (window as unknown as FakeWindow).__fakeAsperaSdk;
  for (const handles of fake.timers.values()) for (const h of handles) clearTimeout(h);
  fake.timers.clear();
}

function meanPercent(): number {
  const percents = [...document.querySelectorAll('li.courier-transfer')].map((row) =>
    Number(/(\d+)% · /.exec(row.textContent ?? '')?.[1] ?? NaN),
  );
  const shown = percents.filter((p) => !Number.isNaN(p));
  return shown.reduce((s, p) => s + p, 0) / Math.max(1, shown.length);
}

async function metrics(page: CDPSession, browser: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await page.send('Performance.getMetrics');
  const { processInfo } = (await browser.send('SystemInfo.getProcessInfo')) as { processInfo: Array<{ type: string; cpuTime: number }> };
  const rendererCpu = processInfo.filter((p) => p.type === 'renderer').reduce((s, p) => s + p.cpuTime, 0);
  return { ...Object.fromEntries(list.map((m) => [m.name, m.value])), RendererCpu: rendererCpu };
}

/**
 * One window of `seconds`. With BENCH_CPU_PROF set, also writes there the page's CPU profile
 * (`<name>.cpuprofile`, for bench/profile-summary.ts) and a performance trace (`<name>.trace.json`,
 * for DevTools): the profile shows script, the trace what "(program)" hides (style, layout, paint).
 */
async function sample(page: Page, browser: CDPSession, seconds: number, name: string): Promise<WindowSample> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const profileDir = process.env.BENCH_CPU_PROF;
  if (profileDir) {
    await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    await page
      .context()
      .browser()
      ?.startTracing(page, {
        path: path.resolve(profileDir, `${name}.trace.json`),
        categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
      });
  }
  await page.evaluate(instrument);
  const percentBefore = await page.evaluate(meanPercent);
  const before = await metrics(cdp, browser);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = await metrics(cdp, browser);
  const percentAfter = await page.evaluate(meanPercent);
  if (profileDir) {
    const { profile } = await cdp.send('Profiler.stop');
    await page.context().browser()?.stopTracing();
    writeFileSync(path.resolve(profileDir, `${name}.cpuprofile`), JSON.stringify(profile));
  }
  const { events, longTasks } = await page.evaluate(() => {
    const w = window as unknown as FakeWindow;
    return { events: w.__benchEvents, longTasks: w.__benchLongTasks };
  });
  await cdp.detach();
  const delta = (metric: string) => (after[metric] ?? NaN) - (before[metric] ?? NaN);
  const perSecond = (metric: string) => (delta(metric) * 1000) / delta('Timestamp');
  return {
    busyMsPerSecond: perSecond('TaskDuration'),
    scriptMsPerSecond: perSecond('ScriptDuration'),
    styleMsPerSecond: perSecond('RecalcStyleDuration'),
    layoutMsPerSecond: perSecond('LayoutDuration'),
    rendererCpuMsPerSecond: perSecond('RendererCpu'),
    longTasks: longTasks.filter((d) => d > LONG_TASK_MS).length,
    longestTaskMs: Math.max(0, ...longTasks),
    events,
    percentBefore,
    percentAfter,
  };
}

export async function transfersBusy(browser: Browser, load: TransfersLoad): Promise<BusyResult> {
  const courier = await startCourier({ env: { COURIER_ASPERA_SDK_URL: SDK_URL } });
  try {
    const session = await login(courier);
    const spaceId = await desktopSpace(session, courier.dataDir);
    const context = await browser.newContext({ baseURL: courier.url, storageState: sessionState(session) });
    const page = await context.newPage();
    page.on('crash', () => process.stderr.write('spa bench: the transfers page crashed\n'));
    // Each transfer keeps reporting for as long as starting them all and the window may take.
    const runMs = 300_000;
    await installFakeAsperaSdk(page, SDK_URL, {
      status: 'RUNNING',
      stepMs: load.updateMs,
      progressSteps: Math.ceil(runMs / load.updateMs),
      dialogFiles: [{ name: '/home/bench/report.bin', size: 1_000_000_000, type: 'application/octet-stream', lastModified: Date.now() }],
    });
    // The panel's list is fetched once here, so transfers started on the files page join it.
    await page.goto('/transfers');
    await page.getByRole('heading', { level: 1, name: 'Transfers' }).waitFor();
    // Client-side navigation from here on: a reload would drop the list and the page's transfers.
    await page.getByRole('link', { name: 'Files' }).click();
    await page.getByRole('link', { name: SPACE_NAME }).click();
    await page.waitForURL(`**${folderUrl(spaceId, '/')}`);
    await startTransfers(page, load.transfers);
    await page.getByRole('link', { name: 'Transfers' }).click();
    await page.locator('li.courier-transfer').first().waitFor();
    const rows = await page.locator('li.courier-transfer').count();
    const browserCdp = await browser.newBrowserCDPSession();
    const updating = await sample(page, browserCdp, load.windowSeconds, 'spa-transfers-updating');
    await page.evaluate(silenceSdk);
    const quiet = await sample(page, browserCdp, load.windowSeconds, 'spa-transfers-quiet');
    await browserCdp.detach();
    await context.close();
    return { updating, quiet, rows };
  } finally {
    await courier.stop();
  }
}
