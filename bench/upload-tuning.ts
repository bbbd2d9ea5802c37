/**
 * `npx tsx bench/upload-tuning.ts [--size 1GiB] [--rounds 2] [--settings xhr:4x16,fetch:4x16,…]`:
 * the upload-session part size, parallel count and request kind (XHR or fetch of a Blob.slice())
 * in headless Chromium, against curl's v3 multipart and curl sending the same parts in parallel,
 * all to the same embedded node, interleaved round after round (docs/performance.md, "Upload
 * sessions in Chromium"). Per trial: MiB/s, and CPU seconds per GiB of the Courier process (portal +
 * node) and of Chromium's processes by type (browser, renderer, network utility). Faster than the
 * SPA bench for comparing settings; the SPA's own figures come from `npm run bench`.
 *
 * Two more kinds bound what is left: `spa` is the SPA itself (the folder view's "Upload files" to
 * Completed on the transfers page, with when its parts ran and its main thread's work), and
 * `sink:PxM` sends the same parts from the same Chromium to a server in this process that only
 * counts the bytes: Chromium's own ceiling on this machine, with no node to share the cores.
 */
import { linkSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page, Request } from '@playwright/test';
import { buildSpa, launchChromium, loggedInPage } from './lib/browser';
import { openSpace, uploadThroughSpa } from './lib/spa-transfers';
import { gatewayOf, login, portalUpload, type PortalSession } from './lib/clients';
import { startCourier, tempDir, type CourierProcess } from './lib/processes';
import { childrenCpu, chromiumCpu, cpuSeconds } from './lib/process-cpu';
import { parseBytes } from './lib/report';
import { curlGatewayUpload, curlSessionParts, splitParts } from './lib/tools';
import { randomFile } from './benchmarks/transfer-files';

interface Trial {
  seconds: number;
  nodeCpu: number;
  curlCpu: number;
  /** This process: the `sink` server's reading, when a trial sends there. */
  selfCpu: number;
  chromium: Map<string, number>;
}

async function measure(courier: CourierProcess, run: () => Promise<void>): Promise<Trial> {
  const node0 = cpuSeconds(courier.pid);
  const chromium0 = chromiumCpu(process.pid);
  const curl0 = childrenCpu();
  const self0 = process.cpuUsage();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const self = process.cpuUsage(self0);
  const chromium1 = chromiumCpu(process.pid);
  const chromium = new Map<string, number>();
  for (const [k, v] of chromium1) chromium.set(k, v - (chromium0.get(k) ?? 0));
  return {
    seconds,
    nodeCpu: cpuSeconds(courier.pid) - node0,
    curlCpu: childrenCpu() - curl0,
    selfCpu: (self.user + self.system) / 1e6,
    chromium,
  };
}

/**
 * The page's part uploader: a session, parts `parallel` at a time as XHRs or fetches of slices,
 * completion. With `sink`, the same parts go there instead, with no session around them.
 */
async function pageUpload(args: {
  gateway: string;
  spec: Record<string, unknown>;
  partSize: number;
  parallel: number;
  kind: string;
  sink?: string;
}) {
  const input = document.querySelector<HTMLInputElement>('#pick');
  const file = input?.files?.[0];
  if (!file) throw new Error('no file picked');
  const url = `${args.gateway}/v3/upload-sessions`;
  const spec = { ...args.spec, paths: [{ source: file.name, destination: file.name }] };
  const created = args.sink
    ? null
    : await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ transfer_spec: spec, files: [{ size: file.size }] }),
      });
  if (created && created.status !== 201) throw new Error(`create ${created.status} ${await created.text()}`);
  const { session_id: id } = created ? ((await created.json()) as { session_id: string }) : { session_id: '' };
  const starts: number[] = [];
  for (let s = 0; s < file.size; s += args.partSize) starts.push(s);
  const send = (start: number) => {
    const body = file.slice(start, Math.min(file.size, start + args.partSize));
    const partUrl = args.sink ?? `${url}/${id}/files/0`;
    const headers = { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(start) };
    if (args.kind === 'fetch')
      return fetch(partUrl, { method: 'PATCH', headers, body }).then((r) => {
        if (!r.ok) throw new Error(`part ${r.status}`);
      });
    return new Promise<void>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('PATCH', partUrl);
      for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
      // A progress listener, as the SPA has: it makes Chromium report upload progress to the page.
      xhr.upload.onprogress = () => undefined;
      xhr.onload = () => (xhr.status < 400 ? resolve() : reject(new Error(`part ${xhr.status}`)));
      xhr.onerror = () => reject(new Error('part failed'));
      xhr.send(body);
    });
  };
  const lane = async () => {
    for (let s = starts.shift(); s !== undefined; s = starts.shift()) await send(s);
  };
  await Promise.all(Array.from({ length: args.parallel }, lane));
  if (args.sink) return;
  const done = await fetch(`${url}/${id}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files: [{ size: file.size }] }),
  });
  if (!done.ok) throw new Error(`complete ${done.status} ${await done.text()}`);
}

/**
 * `sink`: a page with the file input at `/`, and `/sink`, which reads each body to its end and
 * answers 204, counting the bytes. Same origin as its page, so no preflight.
 */
async function startSink(): Promise<{ server: Server; url: string; received: () => number }> {
  let received = 0;
  const server = createServer((req, res) => {
    if (req.method === 'GET') {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><input type="file" id="pick">');
      return;
    }
    req.on('data', (chunk: Buffer) => (received += chunk.length));
    req.on('end', () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}`, received: () => received };
}

/** `spa`: the folder view's upload to Completed, with when its parts ran and what its main thread did. */
async function spaTrial(page: Page, file: string, title: string): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => new Map((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metrics();
  const started = performance.now();
  const parts: number[] = [];
  const onPart = (r: Request) => {
    if (r.method() === 'PATCH' && r.url().includes('/v3/upload-sessions/')) parts.push((performance.now() - started) / 1000);
  };
  page.on('request', onPart);
  page.on('requestfinished', onPart);
  try {
    await uploadThroughSpa(page, 'files', file, title);
  } finally {
    page.off('request', onPart);
    page.off('requestfinished', onPart);
  }
  const seconds = (performance.now() - started) / 1000;
  const after = await metrics();
  await cdp.detach();
  const spent = (name: string) => ((after.get(name) ?? 0) - (before.get(name) ?? 0)).toFixed(2);
  process.stdout.write(
    `  spa: first part sent at ${parts[0]?.toFixed(2)} s, last part done at ${parts.at(-1)?.toFixed(2)} s, Completed at ${seconds.toFixed(2)} s; main thread ${spent('TaskDuration')} s (script ${spent('ScriptDuration')}, style and layout ${(Number(spent('RecalcStyleDuration')) + Number(spent('LayoutDuration'))).toFixed(2)})\n`,
  );
}

/** A page at `url` holding `source` in an `#pick` file input, ready for `pageUpload`. */
async function pickOn(page: Page, url: string, source: string): Promise<Page> {
  await page.goto(url).catch(() => undefined);
  // tsx names functions through a helper the page does not have.
  await page.evaluate('globalThis.__name = (f) => f');
  await page.evaluate(() => {
    document.body.innerHTML = '<input type="file" id="pick">';
  });
  await page.locator('#pick').setInputFiles(source);
  return page;
}

async function spec(session: PortalSession, spaceId: string, name: string, size: number) {
  const transfer = await portalUpload(session, spaceId, '/', [{ path: name, size }]);
  return { gateway: gatewayOf(transfer), spec: transfer.transferSpec };
}

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1GiB' },
    rounds: { type: 'string', default: '2' },
    settings: { type: 'string', default: 'xhr:4x16,xhr:2x16,xhr:3x32,xhr:4x32,xhr:6x16,fetch:4x16,curl-parts:4x16,curl' },
  },
});
const size = parseBytes(values.size);
const settings = values.settings.split(',');
const nodeNames = ['node'];
if (settings.includes('spa')) buildSpa();
const browser = await launchChromium();
const work = tempDir('upload-tuning');
const couriers: CourierProcess[] = [];
const sink = await startSink();
try {
  const source = path.join(work, 'large.bin');
  await randomFile(source, size);
  const split = new Map<number, Array<{ file: string; offset: number }>>();
  for (const setting of settings.filter((s) => s.startsWith('curl-parts:'))) {
    const mib = Number(setting.split('x')[1]);
    if (!split.has(mib)) split.set(mib, await splitParts(source, mib * 2 ** 20, path.join(work, `parts-${mib}`)));
  }
  const sides = [];
  for (const nodeName of nodeNames) {
    const courier = await startCourier();
    couriers.push(courier);
    const session = await login(courier);
    const { spaces } = await session.api<{ spaces: Array<{ id: string; personal: boolean }> }>('GET', '/api/spaces');
    const spaceId = spaces.find((s) => s.personal)?.id ?? '';
    const page = await pickOn(await browser.newPage(), `${courier.url}/api/health`, source);
    const sinkPage = await pickOn(await browser.newPage(), sink.url, source);
    // The SPA itself, for `spa`: logged in through its form.
    const spa = settings.includes('spa') ? (await loggedInPage(browser, courier)).page : null;
    sides.push({ nodeName, courier, session, spaceId, page, sinkPage, spa, spaceDir: path.join(courier.docroot, 'home', 'admin') });
  }
  let n = 0;
  const results = new Map<string, Trial[]>();
  for (let round = 0; round < Number(values.rounds); round++) {
    const order = round % 2 ? [...settings].reverse() : settings;
    for (const setting of order) {
      for (const side of round % 2 ? [...sides].reverse() : sides) {
        const [kind = 'xhr', shape = '4x16'] = setting.split(':');
        const [parallel = 4, mib = 16] = shape.split('x').map(Number);
        const name = `t-${n++}.bin`;
        const inPage = kind === 'xhr' || kind === 'fetch';
        if (kind === 'spa' && side.spa) {
          linkSync(source, path.join(work, name));
          await openSpace(side.spa, side.spaceId, 'My files');
        }
        const sent = sink.received();
        // The SPA asks the portal itself; the sink needs no spec.
        const target =
          kind === 'spa' || kind === 'sink'
            ? { gateway: '', spec: {} }
            : await spec(side.session, side.spaceId, inPage ? 'large.bin' : name, size);
        const trial = await measure(side.courier, async () => {
          if (kind === 'curl') await curlGatewayUpload(target.gateway, target.spec, [{ file: source, name, size }], path.join(work, 'c'));
          else if (kind === 'curl-parts')
            await curlSessionParts(target.gateway, target.spec, { name, size }, split.get(mib) ?? [], parallel, work);
          else if (kind === 'spa' && side.spa) await spaTrial(side.spa, path.join(work, name), name);
          else if (kind === 'sink')
            await side.sinkPage.evaluate(pageUpload, {
              ...target,
              partSize: mib * 2 ** 20,
              parallel,
              kind: 'xhr',
              sink: `${sink.url}/sink`,
            });
          else if (inPage)
            await side.page.evaluate(pageUpload, { gateway: target.gateway, spec: target.spec, partSize: mib * 2 ** 20, parallel, kind });
          else throw new Error(`unknown setting ${setting}`);
        });
        if (kind === 'sink') {
          if (sink.received() - sent !== size) throw new Error(`the sink read ${sink.received() - sent} bytes of ${size}`);
        } else rmSync(path.join(side.spaceDir, inPage ? 'large.bin' : name));
        const key = `${side.nodeName}/${setting}`;
        const list = results.get(key) ?? [];
        list.push(trial);
        results.set(key, list);
        const chromium = [...trial.chromium]
          .filter(([, v]) => v > 0.05)
          .map(([k, v]) => `${k} ${((v / size) * 2 ** 30).toFixed(2)}`)
          .join(', ');
        const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
        process.stdout.write(
          `${key.padEnd(20)} ${(size / 2 ** 20 / trial.seconds).toFixed(0).padStart(5)} MiB/s  node ${((trial.nodeCpu / size) * 2 ** 30).toFixed(2)} CPU-s/GiB  curl ${((trial.curlCpu / size) * 2 ** 30).toFixed(2)}  sink ${((trial.selfCpu / size) * 2 ** 30).toFixed(2)}  chromium ${chromium}  (load ${load})\n`,
        );
      }
    }
  }
  process.stdout.write('\nsorted MiB/s, node CPU-s/GiB:\n');
  for (const [key, trials] of results) {
    const rates = trials.map((t) => size / 2 ** 20 / t.seconds).sort((a, b) => a - b);
    const cpu = trials.map((t) => (t.nodeCpu / size) * 2 ** 30).sort((a, b) => a - b);
    process.stdout.write(`${key.padEnd(20)} ${rates.map((r) => r.toFixed(0)).join(' ')}   ${cpu.map((c) => c.toFixed(2)).join(' ')}\n`);
  }
} finally {
  sink.server.close();
  rmSync(work, { recursive: true, force: true });
  await browser.close();
  for (const courier of couriers) await courier.stop();
}
