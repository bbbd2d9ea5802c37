/**
 * `npx tsx bench/upload-tuning.ts [--size 1GiB] [--rounds 2] [--settings xhr:4x16,fetch:4x16,…]`:
 * the upload-session part size, parallel count and request kind (XHR or fetch of a Blob.slice())
 * in headless Chromium, against curl's v3 multipart and curl sending the same parts in parallel,
 * all to the same embedded node, interleaved round after round (docs/performance.md, "Upload
 * sessions in Chromium"). Per trial: MiB/s, and CPU seconds per GiB of the Courier process (portal +
 * node) and of Chromium's processes by type (browser, renderer, network utility). Faster than the
 * SPA bench for comparing settings; the SPA's own figures come from `npm run bench`.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from './lib/browser';
import { gatewayOf, login, portalUpload, type PortalSession } from './lib/clients';
import { startCourier, tempDir, type CourierProcess } from './lib/processes';
import { parseBytes } from './lib/report';
import { curlGatewayUpload, curlSessionParts, splitParts } from './lib/tools';
import { randomFile } from './benchmarks/transfer-files';

const TICK = 100; // USER_HZ on Linux

function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return 0;
  }
}

/** Descendants of `root`, by Chromium process type (`--type=`, or `browser` for the main one). */
function processesByKind(root: number): Map<number, string> {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      parent.set(Number(entry), Number(stat[1]));
    } catch {
      // gone meanwhile
    }
  }
  const kinds = new Map<number, string>();
  for (const pid of parent.keys()) {
    let p: number | undefined = pid;
    while (p && p !== root && p !== 1) p = parent.get(p);
    if (p !== root || pid === root) continue;
    let cmd = '';
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.includes('chrom')) continue;
    const type = /--type=([a-z-]+)/.exec(cmd)?.[1];
    const service = /--utility-sub-type=([a-zA-Z.]+)/.exec(cmd)?.[1];
    kinds.set(pid, type ? (service ? service.replace(/^.*\./, '').replace(/Service$/, '') : type) : 'browser');
  }
  return kinds;
}

function chromiumCpu(root: number): Map<string, number> {
  const sums = new Map<string, number>();
  for (const [pid, kind] of processesByKind(root)) sums.set(kind, (sums.get(kind) ?? 0) + cpuSeconds(pid));
  return sums;
}

/** CPU of this process's waited-for children: the curl processes of the reference sides. */
function childrenCpu(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICK;
}

interface Trial {
  seconds: number;
  nodeCpu: number;
  curlCpu: number;
  chromium: Map<string, number>;
}

async function measure(courier: CourierProcess, run: () => Promise<void>): Promise<Trial> {
  const node0 = cpuSeconds(courier.pid);
  const chromium0 = chromiumCpu(process.pid);
  const curl0 = childrenCpu();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  const chromium1 = chromiumCpu(process.pid);
  const chromium = new Map<string, number>();
  for (const [k, v] of chromium1) chromium.set(k, v - (chromium0.get(k) ?? 0));
  return { seconds, nodeCpu: cpuSeconds(courier.pid) - node0, curlCpu: childrenCpu() - curl0, chromium };
}

/** The page's part uploader: a session, parts `parallel` at a time as XHRs or fetches of slices, completion. */
async function pageUpload(args: { gateway: string; spec: Record<string, unknown>; partSize: number; parallel: number; kind: string }) {
  const input = document.querySelector<HTMLInputElement>('#pick');
  const file = input?.files?.[0];
  if (!file) throw new Error('no file picked');
  const url = `${args.gateway}/v3/upload-sessions`;
  const spec = { ...args.spec, paths: [{ source: file.name, destination: file.name }] };
  const created = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_spec: spec, files: [{ size: file.size }] }),
  });
  if (created.status !== 201) throw new Error(`create ${created.status} ${await created.text()}`);
  const { session_id: id } = (await created.json()) as { session_id: string };
  const starts: number[] = [];
  for (let s = 0; s < file.size; s += args.partSize) starts.push(s);
  const send = (start: number) => {
    const body = file.slice(start, Math.min(file.size, start + args.partSize));
    const partUrl = `${url}/${id}/files/0`;
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
  const done = await fetch(`${url}/${id}/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files: [{ size: file.size }] }),
  });
  if (!done.ok) throw new Error(`complete ${done.status} ${await done.text()}`);
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
const browser = await launchChromium();
const work = tempDir('upload-tuning');
const couriers: CourierProcess[] = [];
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
    const context = await browser.newContext({ baseURL: courier.url });
    const page = await context.newPage();
    await page.goto('/api/health').catch(() => undefined);
    // tsx names functions through a helper the page does not have.
    await page.evaluate('globalThis.__name = (f) => f');
    await page.evaluate(() => {
      document.body.innerHTML = '<input type="file" id="pick">';
    });
    await page.locator('#pick').setInputFiles(source);
    sides.push({ nodeName, courier, session, spaceId, page, spaceDir: path.join(courier.docroot, 'home', 'admin') });
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
        const target = await spec(side.session, side.spaceId, inPage ? 'large.bin' : name, size);
        const trial = await measure(side.courier, async () => {
          if (kind === 'curl') await curlGatewayUpload(target.gateway, target.spec, [{ file: source, name, size }], path.join(work, 'c'));
          else if (kind === 'curl-parts')
            await curlSessionParts(target.gateway, target.spec, { name, size }, split.get(mib) ?? [], parallel, work);
          else
            await side.page.evaluate(pageUpload, { gateway: target.gateway, spec: target.spec, partSize: mib * 2 ** 20, parallel, kind });
        });
        rmSync(path.join(side.spaceDir, inPage ? 'large.bin' : name));
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
          `${key.padEnd(20)} ${(size / 2 ** 20 / trial.seconds).toFixed(0).padStart(5)} MiB/s  node ${((trial.nodeCpu / size) * 2 ** 30).toFixed(2)} CPU-s/GiB  curl ${((trial.curlCpu / size) * 2 ** 30).toFixed(2)}  chromium ${chromium}  (load ${load})\n`,
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
  rmSync(work, { recursive: true, force: true });
  await browser.close();
  for (const courier of couriers) await courier.stop();
}
