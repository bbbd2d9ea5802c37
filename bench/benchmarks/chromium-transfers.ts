/**
 * What a person's browser gets from Courier. Uploads: the SPA's own HTTP Gateway client in headless
 * Chromium, driven through the folder view (pick, review, transfers page until Completed), against
 * curl posting the same multipart to the same node with a spec from the same portal. Download: the
 * SPA's Download button (a signed URL handed to Chromium's download manager) against the same
 * Chromium fetching the same file from Debian nginx. Public download: the share page's Download button
 * in a context without a session (the link's authorization, then the node's gateway) against the
 * logged-in Download button on the same file, same run.
 */
import { linkSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { sha256File } from '../reliability/gateway-io';
import { buildSpa, launchChromium, loggedInPage } from '../lib/browser';
import { gatewayOf, login, portalUpload, type PortalSession } from '../lib/clients';
import { startCourier, startNginx, tempDir, type CourierProcess } from '../lib/processes';
import { formatBytes, type BenchOptions, type BenchRow } from '../lib/report';
import { interleave, ratioOf, rotate, spread, type Spread } from '../lib/stats';
import { curlGatewayUpload, curlSessionParts, splitParts, timed, type UploadPart } from '../lib/tools';
import { clickDownload, downloadInFrame, openSpace, timeDownload, uploadThroughSpa, type UploadPhases } from '../lib/spa-transfers';
import { DEFAULT_SESSION_TUNING } from '../../src/transfer-clients/http-gateway/http-gateway-client';
import { randomFile, randomFiles } from './transfer-files';

const SPACE_NAME = 'My files';

interface Bench {
  courier: CourierProcess;
  browser: Browser;
  page: Page;
  session: PortalSession;
  spaceId: string;
  /** The personal space's folder on disk: `/home/admin` in the node's docroot. */
  spaceDir: string;
  work: string;
}

/** Courier (SPA built, portal + embedded node), Chromium logged in through the form, and a curl-side session. */
async function withBench<T>(prefix: string, run: (b: Bench) => Promise<T>): Promise<T> {
  buildSpa();
  const courier = await startCourier();
  const browser = await launchChromium();
  const work = tempDir(prefix);
  try {
    const { page } = await loggedInPage(browser, courier);
    const session = await login(courier);
    const { spaces } = await session.api<{ spaces: Array<{ id: string; personal: boolean }> }>('GET', '/api/spaces');
    const spaceId = spaces.find((s) => s.personal)?.id;
    if (!spaceId) throw new Error('the portal gave admin no personal space');
    return await run({ courier, browser, page, session, spaceId, spaceDir: path.join(courier.docroot, 'home', 'admin'), work });
  } finally {
    rmSync(work, { recursive: true, force: true });
    await browser.close();
    await courier.stop();
  }
}

/** The curl side: the portal's POST /api/transfers for these files, then one v3 multipart with curl. */
async function curlThroughPortal(b: Bench, parts: UploadPart[], configFile: string): Promise<string> {
  const transfer = await portalUpload(
    b.session,
    b.spaceId,
    '/',
    parts.map((p) => ({ path: p.name, size: p.size })),
  );
  return curlGatewayUpload(gatewayOf(transfer), transfer.transferSpec, parts, configFile);
}

async function sameBytes(stored: string, source: string): Promise<void> {
  const [a, b] = await Promise.all([sha256File(stored), sha256File(source)]);
  if (a !== b || statSync(stored).size !== statSync(source).size) throw new Error(`${stored} differs from ${source}`);
}

/** Where the Chromium side's time went, as medians over its runs. */
function phaseNote(phases: UploadPhases[]): string {
  const median = (pick: (p: UploadPhases) => number) => spread(phases.map(pick)).median.toFixed(2);
  return `Chromium medians: ${median((p) => p.completed)} s in all = ${median((p) => p.picked)} s setInputFiles + ${median((p) => p.accepted - p.picked)} s SPA intake until the review or start + ${median((p) => p.completed - p.accepted)} s from there to Completed (POST /api/transfers, the XHR, the transfers page).`;
}

function row(
  name: string,
  courier: string,
  reference: string,
  unit: string,
  goal: number,
  r: { courier: Spread; reference: Spread; ratio: Spread; runs: number },
  notes: string[],
): BenchRow {
  return {
    name,
    courier,
    reference,
    unit,
    courierValue: r.courier,
    referenceValue: r.reference,
    ratio: r.ratio,
    runs: r.runs,
    goal: `≥ ${goal}`,
    met: r.ratio.median >= goal,
    notes,
  };
}

async function largeUpload(b: Bench, o: BenchOptions): Promise<BenchRow[]> {
  const source = path.join(b.work, 'large.bin');
  await randomFile(source, o.size);
  let run = 0;
  const phases: UploadPhases[] = [];
  // The parts the page sent: the SPA uses the node's upload sessions (docs/http-gateway.md §11).
  let parts = 0;
  b.page.on('request', (request) => {
    if (request.method() === 'PATCH' && request.url().includes('/v3/upload-sessions/')) parts += 1;
  });
  const tuning = DEFAULT_SESSION_TUNING;
  // The same parts as files, for curl (split once, outside the timing; a second copy in the page cache).
  const partFiles = await splitParts(source, tuning.partSize, path.join(b.work, 'parts'));
  const [spa = [], v3 = [], curlParts = []] = await rotate(o.runs, [
    async () => {
      // A new name per run (a hard link: same inode, same page cache) gives each run its own row title.
      const name = `large-${run++}.bin`;
      linkSync(source, path.join(b.work, name));
      await openSpace(b.page, b.spaceId, SPACE_NAME);
      const timing = await uploadThroughSpa(b.page, 'files', path.join(b.work, name), name);
      phases.push(timing);
      if (run === 1) await sameBytes(path.join(b.spaceDir, name), source);
      rmSync(path.join(b.spaceDir, name));
      return o.size / 2 ** 20 / timing.completed;
    },
    async () => {
      const { seconds } = await timed(() =>
        curlThroughPortal(b, [{ file: source, name: 'large-curl.bin', size: o.size }], path.join(b.work, 'large.curl')),
      );
      await sameBytes(path.join(b.spaceDir, 'large-curl.bin'), source);
      rmSync(path.join(b.spaceDir, 'large-curl.bin'));
      return o.size / 2 ** 20 / seconds;
    },
    async () => {
      const name = 'large-curl-parts.bin';
      const { seconds } = await timed(async () => {
        const transfer = await portalUpload(b.session, b.spaceId, '/', [{ path: name, size: o.size }]);
        await curlSessionParts(gatewayOf(transfer), transfer.transferSpec, { name, size: o.size }, partFiles, tuning.parallel, b.work);
      });
      await sameBytes(path.join(b.spaceDir, name), source);
      rmSync(path.join(b.spaceDir, name));
      return o.size / 2 ** 20 / seconds;
    },
  ]);
  rmSync(path.join(b.work, 'parts'), { recursive: true });
  const result = ratioOf(spa, v3, o.runs);
  if (parts === 0) throw new Error('the SPA did not send the file as parts of an upload session');
  const how = `${Math.round(parts / o.runs)} PATCH parts per run, ${tuning.parallel} at once of ${formatBytes(tuning.partSize)}`;
  return [
    row(
      `gateway upload, one ${formatBytes(o.size)} file`,
      'SPA gateway client (upload session: parts in parallel), headless Chromium',
      'curl v3 multipart, same node',
      'MiB/s',
      0.9,
      result,
      [
        `Chromium: from setInputFiles on "Upload files" to the transfers page showing Completed (review dialog, POST /api/transfers, an upload session: ${how}, then completion). curl: POST /api/transfers for the same file, then curl posting the v3 multipart to the same node. Both SHA-256-checked on disk. Three sides in rotation per run (with the row below).`,
        phaseNote(phases),
        "What bounds it: CPU per GiB (bench/upload-tuning.ts, docs/performance.md). Chromium's browser process reads the File and feeds the network service (2-2.7 CPU-s per GiB, the network service another 0.8-1), and the node receiving it 1.2-1.9: about 4.5 CPU-s a GiB, so about 440 MiB/s on 2 cores at best. curl costs 0.3-0.6 and the node under it about 0.9, so curl reaches 1.1-1.3 GiB/s on a quiet machine: a ratio near 0.3, which only a load that starves curl too hides.",
      ],
    ),
    row(
      `gateway upload, one ${formatBytes(o.size)} file, same parts`,
      'SPA gateway client (upload session), headless Chromium',
      `curl, the same ${formatBytes(tuning.partSize)} parts ${tuning.parallel} at once to the same upload sessions endpoint`,
      'MiB/s',
      0.9,
      ratioOf(spa, curlParts, o.runs),
      [
        `curl: POST /api/transfers, then an upload session with the same parts (split beforehand into files, outside the timing) sent by ${tuning.parallel} curl processes on keep-alive connections, then completion; SHA-256-checked. The same Chromium runs as the row above: this ratio isolates the browser from the protocol.`,
      ],
    ),
  ];
}

/** Only the one-large-file row: for tuning the parts without the 10,000-files row's minutes. */
export function chromiumLargeUploadBench(o: BenchOptions): Promise<BenchRow[]> {
  return withBench('chromium-upload', async (b) => largeUpload(b, o));
}

async function manyUpload(b: Bench, o: BenchOptions): Promise<BenchRow> {
  // The folder is renamed per run, so each run has its own row title and destination.
  let folder = path.join(b.work, 'small-0');
  const names = randomFiles(folder, o.files, o.fileSize);
  let run = 0;
  const phases: UploadPhases[] = [];
  // Three runs at least, as for the node-alone small files: each side takes tens of seconds.
  const result = await interleave(
    Math.max(3, Math.ceil(o.runs / 2)),
    async () => {
      const title = `small-${run++}`;
      renameSync(folder, path.join(b.work, title));
      folder = path.join(b.work, title);
      await openSpace(b.page, b.spaceId, SPACE_NAME);
      const timing = await uploadThroughSpa(b.page, 'folder', folder, title);
      phases.push(timing);
      const stored = path.join(b.spaceDir, title);
      const count = readdirSync(stored).length;
      if (count !== o.files) throw new Error(`the node stored ${count} of ${o.files} files`);
      if (run === 1) for (const name of names) await sameBytes(path.join(stored, name), path.join(folder, name));
      rmSync(stored, { recursive: true });
      return o.files / timing.completed;
    },
    async () => {
      const parts = names.map((name) => ({ file: path.join(folder, name), name: `small-curl/${name}`, size: o.fileSize }));
      const { seconds, value } = await timed(() => curlThroughPortal(b, parts, path.join(b.work, 'many.curl')));
      const files = (JSON.parse(value) as { files: unknown[] }).files.length;
      if (files !== o.files) throw new Error(`the node stored ${files} of ${o.files} files`);
      rmSync(path.join(b.spaceDir, 'small-curl'), { recursive: true });
      return o.files / seconds;
    },
  );
  return row(
    `gateway upload, ${o.files} files of ${formatBytes(o.fileSize)}`,
    'SPA gateway client, headless Chromium',
    'curl v3 multipart, same node',
    'files/s',
    // Issue 18: the small files must not regress while large files go through upload sessions.
    0.6,
    result,
    [
      'Chromium: from setInputFiles on "Upload folder" (webkitdirectory) to the transfers page showing Completed. curl: POST /api/transfers for the same paths, then one v3 multipart request to the same node. The first Chromium run is SHA-256-checked file by file.',
      phaseNote(phases),
      "What bounds it: Chromium's per-file calls into its browser process. The first read of each picked File's size is a synchronous call there (about 0.5-0.9 ms a file: 4-9 s for 10,000, measured by summing file.size in the page), and the XHR then opens every file. The SPA's readability check (findUnreadable, src/lib/upload/collect-upload.ts: another ~0.8 ms a file) runs only while the review is open and is abandoned on Start, so the upload does not wait for it or share the browser process with it; a file the upload cannot open fails it at once, and the check then names the file.",
    ],
  );
}

export function chromiumUploadBench(o: BenchOptions): Promise<BenchRow[]> {
  return withBench('chromium-upload', async (b) => [...(await largeUpload(b, o)), await manyUpload(b, o)]);
}

/** In-browser limit of the SPA's gateway client (http-gateway-client.ts): above it, a signed URL. */
const IN_BROWSER_LIMIT = 100 * 1000 * 1000;

export function chromiumDownloadBench(o: BenchOptions): Promise<BenchRow[]> {
  return withBench('chromium-download', async (b) => {
    const name = 'download.bin';
    mkdirSync(b.spaceDir, { recursive: true });
    await randomFile(path.join(b.spaceDir, name), o.size);
    const nginx = await startNginx(b.courier.docroot);
    try {
      const mibPerSecond = async (page: Page, trigger: () => Promise<void>) => {
        const { seconds, download, file } = await timeDownload(page, trigger);
        const size = statSync(file).size;
        await download.delete();
        if (size !== o.size) throw new Error(`${download.url()} saved ${size} bytes, expected ${o.size}`);
        return o.size / 2 ** 20 / seconds;
      };
      const courier = async () => {
        await openSpace(b.page, b.spaceId, SPACE_NAME);
        return mibPerSecond(b.page, () => clickDownload(b.page, name));
      };
      // A blank page of the same context: the SPA's CSP would block a frame on nginx's origin.
      const blank = await b.page.context().newPage();
      const reference = () => mibPerSecond(blank, () => downloadInFrame(blank, `${nginx.url}/home/admin/${name}`));
      // One untimed download each: both sides then read the file from the page cache.
      await courier();
      await reference();
      const result = await interleave(o.runs, courier, reference);
      const how =
        o.size > IN_BROWSER_LIMIT
          ? 'the SPA presigns and hands the signed URL to a hidden iframe'
          : 'under the SPA’s in-browser limit, so streamed through the page and saved from a Blob';
      return [
        row(
          `download, one ${formatBytes(o.size)} file, Chromium`,
          'SPA Download button, node signed URL',
          'Debian nginx, hidden iframe',
          'MiB/s',
          0.8,
          result,
          [
            `Both timed from Playwright's download event to the file fully written by Chromium's download manager; ${how}.`,
            "What bounds it: Chromium's download manager on both sides (a few hundred MiB/s here, where curl takes about 1 GiB/s from either server), so the ratio sits near 1 and moves with the machine's load.",
          ],
        ),
      ];
    } finally {
      await nginx.stop();
    }
  });
}

/**
 * The recipient's download of a shared file (docs/sharing.md §5): the public page at `/s/<id>` in a
 * context with no session, whose Download asks `POST /api/public/shares/:id/downloads` and hands the
 * node's signed URL to Chromium, against the sharer's own Download on the Files page.
 */
export function chromiumPublicDownloadBench(o: BenchOptions): Promise<BenchRow[]> {
  return withBench('chromium-public-download', async (b) => {
    const name = 'shared.bin';
    mkdirSync(b.spaceDir, { recursive: true });
    await randomFile(path.join(b.spaceDir, name), o.size);
    const { share } = await b.session.api<{ share: { id: string; url: string } }>('POST', '/api/shares', {
      spaceId: b.spaceId,
      paths: [`/${name}`],
    });
    const guestContext = await b.browser.newContext({ baseURL: b.courier.url, acceptDownloads: true });
    try {
      const guest = await guestContext.newPage();
      let publicAnswers = 0;
      guest.on('response', (r) => {
        if (r.url().endsWith(`/api/public/shares/${share.id}/downloads`) && r.status() === 201) publicAnswers += 1;
      });
      const mibPerSecond = async (page: Page, trigger: () => Promise<void>) => {
        const { seconds, download, file } = await timeDownload(page, trigger);
        const size = statSync(file).size;
        await download.delete();
        if (size !== o.size) throw new Error(`${download.url()} saved ${size} bytes, expected ${o.size}`);
        return o.size / 2 ** 20 / seconds;
      };
      const viaLink = async () => {
        await guest.goto(`/s/${share.id}`);
        return mibPerSecond(guest, () => guest.getByRole('button', { name: 'Download', exact: true }).click());
      };
      const loggedIn = async () => {
        await openSpace(b.page, b.spaceId, SPACE_NAME);
        return mibPerSecond(b.page, () => clickDownload(b.page, name));
      };
      // One untimed download each: both sides then read the file from the page cache.
      const first = await timeDownload(guest, async () => {
        await guest.goto(`/s/${share.id}`);
        await guest.getByRole('button', { name: 'Download', exact: true }).click();
      });
      const same = (await sha256File(first.file)) === (await sha256File(path.join(b.spaceDir, name)));
      await first.download.delete();
      if (!same) throw new Error('the download through the link is not the shared file');
      await loggedIn();
      const result = await interleave(o.runs, viaLink, loggedIn);
      if (publicAnswers !== o.runs + 1) throw new Error(`${publicAnswers} public authorizations for ${o.runs + 1} downloads`);
      return [
        row(
          `public share download, one ${formatBytes(o.size)} file, Chromium`,
          'share page /s/<id>, no session, node signed URL',
          'logged-in Files page Download, same file',
          'MiB/s',
          0.95,
          result,
          [
            "Both timed from Playwright's download event to the file fully written by Chromium's download manager. The link side is a context without a session: the page's Download asks POST /api/public/shares/:id/downloads (the link's checks, then the sharer's authorization and the node's download_setup) and hands the node's signed URL to the browser; the logged-in side is the Files page's Download of the same file. The first link download is SHA-256-checked.",
          ],
        ),
      ];
    } finally {
      await guestContext.close();
    }
  });
}

/**
 * Sending a package (docs/packages.md) against a plain upload of the same file, both in the same
 * Chromium, interleaved: from setInputFiles on the send page to the package being ready for its
 * recipient (the upload completed on the node and the tracker reported it), against the folder
 * view's upload to Completed on the Transfers page.
 */
async function packageSend(b: Bench, o: BenchOptions): Promise<BenchRow> {
  const source = path.join(b.work, 'package.bin');
  await randomFile(source, o.size);
  let run = 0;
  let packageRun = 0;
  const result = await interleave(
    o.runs,
    async () => {
      const name = `package-${packageRun++}.bin`;
      linkSync(source, path.join(b.work, name));
      await b.page.goto('/send');
      await b.page.getByLabel('Find people or groups').fill('admin');
      await b.page.getByRole('button', { name: /^Add .*\(admin\)$/ }).click();
      await b.page.getByLabel('Subject').fill(name);
      const started = performance.now();
      await b.page.getByTestId('send-files-input').setInputFiles(path.join(b.work, name));
      await b.page.getByTestId('send-chosen').waitFor();
      await b.page.getByRole('button', { name: 'Send', exact: true }).click();
      // Ready: what a recipient waits for, polled as the inbox would be.
      let ready: { id: string } | undefined;
      while (!ready) {
        const { packages } = await b.session.api<{ packages: Array<{ id: string; subject: string; status: string }> }>(
          'GET',
          '/api/packages?box=sent',
        );
        const mine = packages.find((p) => p.subject === name);
        if (mine?.status === 'failed') throw new Error(`the package ${name} failed`);
        if (mine?.status === 'ready') ready = mine;
        else await new Promise((r) => setTimeout(r, 50));
      }
      const seconds = (performance.now() - started) / 1000;
      const stored = path.join(b.courier.docroot, 'packages', ready.id, name);
      if (packageRun === 1) await sameBytes(stored, source);
      rmSync(path.dirname(stored), { recursive: true });
      return o.size / 2 ** 20 / seconds;
    },
    async () => {
      const name = `plain-${run++}.bin`;
      linkSync(source, path.join(b.work, name));
      await openSpace(b.page, b.spaceId, SPACE_NAME);
      const timing = await uploadThroughSpa(b.page, 'files', path.join(b.work, name), name);
      if (run === 1) await sameBytes(path.join(b.spaceDir, name), source);
      rmSync(path.join(b.spaceDir, name));
      return o.size / 2 ** 20 / timing.completed;
    },
  );
  return row(
    `package send, one ${formatBytes(o.size)} file, Chromium`,
    'Send page to package ready for its recipient',
    'plain upload of the same file, same Chromium',
    'MiB/s',
    0.95,
    result,
    [
      'Package: from setInputFiles on the send page, Send, to GET /api/packages?box=sent saying ready (the upload completed on the node and the tracker reported it: what a recipient waits for). Plain: the folder view upload to Completed on the Transfers page. The first run of each is SHA-256-checked on disk.',
    ],
  );
}

export function chromiumPackageBench(o: BenchOptions): Promise<BenchRow[]> {
  return withBench('chromium-package', async (b) => [await packageSend(b, o)]);
}
