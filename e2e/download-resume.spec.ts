/**
 * A large download cut by the network mid-way resumes in Chromium's own download manager, as a
 * person resumes it: chrome://downloads, Resume. The signed URL (docs/http-gateway.md §5.3) answers
 * the resumed `Range` request, so the browser asks only for the bytes it lacks and the file it saves
 * is the original. The cable (support/network-cable.ts) carries the download, paces it so the cut
 * lands mid-way, and sees the requests the browser sends.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { docroot } from './support/docroot';
import { filesPage } from './support/files-page';
import { sha256File, tempDir, writeRandomFile } from './support/local-files';
import { test } from './support/network-cable';
import { logInAsNewUser } from './support/portal-api';

const MB = 1024 * 1024;

// The relay listens on a port the portal's CSP does not name (see offline.spec.ts).
test.use({ bypassCSP: true });

test("a large download cut mid-way resumes from Chromium's downloads page where it stopped and saves the original", async ({
  page,
  cable,
}) => {
  test.setTimeout(60_000);
  const { username } = await logInAsNewUser(page, 'Rhea Resume');
  // Above the SPA's in-browser limit (100 MB), so the browser's download manager takes it.
  const size = 128 * MB;
  const name = 'large.bin';
  const original = docroot('home', username, name);
  writeRandomFile(original, size);

  // Chromium saves into a folder of the test's, under the file's name, as for a person. (Playwright's
  // own download handling saves under a GUID and gives up on a download once it is interrupted.)
  const folder = tempDir('courier-download-resume-');
  const cdp = await page.context().browser()!.newBrowserCDPSession();
  const { targetInfo } = await (await page.context().newCDPSession(page)).send('Target.getTargetInfo');
  await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', browserContextId: targetInfo.browserContextId, downloadPath: folder });
  const saved = path.join(folder, name);

  // Paced, so the cut lands while it is in flight: a quarter of it takes about two seconds.
  cable.throttleFromNode(16 * MB);
  await page.goto('/files');
  await page.getByRole('link', { name: 'My files' }).click();
  const files = filesPage(page);
  await files.select(name);
  await files.download.click();
  const downloads = () => cable.requests().filter((r) => r.method === 'GET' && r.path.includes('/v3/signed/'));
  await expect.poll(() => downloads()[0]?.bytesFromNode ?? 0, { timeout: 20_000 }).toBeGreaterThan(size / 4);

  await cable.pull();
  // Chromium's download manager marks it failed, resumable: what a person sees, in the same profile.
  const manager = await page.context().newPage();
  await manager.goto('chrome://downloads');
  const item = manager.locator('downloads-item');
  await expect(item).toContainText('Failed - Network error');
  const cut = downloads()[0]!;
  expect(cut.status).toBe(200);
  await cable.plugIn();
  cable.throttleFromNode(undefined);
  await item.getByRole('button', { name: 'More actions' }).click();
  await manager.getByRole('menuitem', { name: 'Resume' }).click();

  // Chromium gives the file its name once the last byte is written.
  await expect.poll(() => existsSync(saved), { timeout: 20_000 }).toBe(true);
  await expect(item).not.toContainText('Failed');
  expect(readdirSync(folder)).toEqual([name]);
  expect(await sha256File(saved)).toBe(await sha256File(original));
  // One more request for the file, asking for the rest from where the cut one stopped, not from 0.
  const requests = downloads();
  expect(requests).toHaveLength(2);
  const resumed = requests[1]!;
  expect(resumed.status).toBe(206);
  // What reached the browser before the cut, less the answer's headers, is what it wrote (seen: all
  // of it; the slack is for bytes a reset could drop from the socket's buffer).
  expect(resumed.rangeStart).toBeLessThanOrEqual(cut.bytesFromNode);
  expect(resumed.rangeStart).toBeGreaterThan(cut.bytesFromNode - MB);
  // And the node sent the rest only (plus the answer's headers).
  expect(resumed.bytesFromNode).toBeLessThan(size - resumed.rangeStart! + 4096);
  expect(resumed.bytesFromNode).toBeGreaterThanOrEqual(size - resumed.rangeStart!);
  await manager.close();
  rmSync(folder, { recursive: true });
});
