import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Window } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { createAsperaSdkClient } from '../aspera-sdk-client';
import { buildFakeAsperaSdkScript } from './build-fake-aspera-sdk';

const srcRoot = fileURLToPath(new URL('../../../', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.(ts|tsx)$/.test(name) ? [full] : [];
  });
}

describe('the fake SDK', () => {
  it('is never imported by production code', () => {
    const production = sourceFiles(srcRoot).filter((f) => !/\.test\.tsx?$/.test(f) && !f.includes(`${path.sep}testing${path.sep}`));
    expect(production.length).toBeGreaterThan(10);
    const offenders = production.filter((f) => /from\s+['"][^'"]*\/testing(\/|['"])/.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('builds to one plain script that defines window.asperaSdk and carries a transfer to completed', async () => {
    const script = await buildFakeAsperaSdkScript();
    expect(script).not.toMatch(/^\s*(import|export)\s/m);
    const win = new Window({ url: 'http://127.0.0.1:8080/' });
    (win as unknown as { __fakeAsperaSdkOptions: unknown }).__fakeAsperaSdkOptions = { stepMs: 1 };
    new Function('window', script)(win);
    expect(typeof (win as unknown as { asperaSdk: { startTransfer: unknown } }).asperaSdk.startTransfer).toBe('function');
    const client = createAsperaSdkClient({
      sdkUrl: 'http://127.0.0.1:8080/sdk.js',
      appId: 'e2e',
      window: win as unknown as globalThis.Window,
    });
    expect(await client.availability()).toMatchObject({ available: true });
    const done = new Promise<string>((resolve) => client.subscribe((e) => e.status === 'completed' && resolve(e.transferId)));
    await client.start({
      transferId: 'e2e-1',
      direction: 'upload',
      transferSpec: { direction: 'send', remote_host: 'h', paths: [], tags: { courier: { transfer_id: 'e2e-1' } } },
      localPaths: [{ source: '/tmp/a.txt' }],
    });
    expect(await done).toBe('e2e-1');
    await win.happyDOM.close();
  });
});
