import { describe, expect, it } from 'vitest';
import { createAsperaSdkClient } from './aspera-sdk-client';
import { loadAsperaSdk } from './load-aspera-sdk';
import { FakeAsperaSdk } from './testing/fake-aspera-sdk';

interface StubScript {
  src: string;
  async: boolean;
  onload: (() => void) | null;
  onerror: (() => void) | null;
  removed: boolean;
  remove(): void;
}

/** Just the DOM a script load needs, so the test decides when and how the "network" answers. */
function stubWindow() {
  const scripts: StubScript[] = [];
  const pageHandler = () => undefined;
  const win = {
    asperaSdk: undefined as unknown,
    onbeforeunload: pageHandler as unknown,
    document: {
      createElement: (): StubScript => ({
        src: '',
        async: false,
        onload: null,
        onerror: null,
        removed: false,
        remove() {
          this.removed = true;
        },
      }),
      head: { append: (s: StubScript) => scripts.push(s) },
    },
  };
  return { win, asWindow: win as unknown as Window, scripts, pageHandler };
}

describe('loadAsperaSdk', () => {
  it('loads the bundle once, resolves window.asperaSdk and puts the page onbeforeunload back (§1)', async () => {
    const { win, asWindow, scripts, pageHandler } = stubWindow();
    const first = loadAsperaSdk('https://cdn.example/aspera-sdk.js', asWindow, 1000);
    const second = loadAsperaSdk('https://cdn.example/aspera-sdk.js', asWindow, 1000);
    expect(scripts).toHaveLength(1);
    expect(scripts[0]!.src).toBe('https://cdn.example/aspera-sdk.js');
    const fake = new FakeAsperaSdk();
    win.asperaSdk = fake;
    win.onbeforeunload = () => 'legacy upload warning';
    scripts[0]!.onload!();
    expect(await first).toBe(fake);
    expect(await second).toBe(fake);
    expect(win.onbeforeunload).toBe(pageHandler);
  });

  it('rejects a URL that fails to load with a clear reason, and lets a later call retry', async () => {
    const { asWindow, scripts } = stubWindow();
    const load = loadAsperaSdk('https://cdn.example/missing.js', asWindow, 1000);
    scripts[0]!.onerror!();
    await expect(load).rejects.toThrow(/could not be loaded from https:\/\/cdn.example\/missing.js: the script could not be fetched/);
    expect(scripts[0]!.removed).toBe(true);
    void loadAsperaSdk('https://cdn.example/missing.js', asWindow, 1000).catch(() => undefined);
    expect(scripts).toHaveLength(2);
  });

  it('gives up after the timeout instead of hanging, and refuses a script without window.asperaSdk', async () => {
    const a = stubWindow();
    await expect(loadAsperaSdk('https://slow.example/sdk.js', a.asWindow, 20)).rejects.toThrow(/no answer within/);
    const b = stubWindow();
    const load = loadAsperaSdk('https://cdn.example/other.js', b.asWindow, 1000);
    b.scripts[0]!.onload!();
    await expect(load).rejects.toThrow(/did not define window.asperaSdk/);
  });

  it('makes the adapter report unavailable with the reason, and start fail, never hang', async () => {
    const { asWindow, scripts } = stubWindow();
    const client = createAsperaSdkClient({ sdkUrl: 'https://cdn.example/missing.js', appId: 'a', window: asWindow });
    const availability = client.availability();
    await Promise.resolve();
    scripts[0]!.onerror!();
    expect(await availability).toMatchObject({
      available: false,
      state: 'unavailable',
      reason: expect.stringMatching(/could not be loaded/),
    });
    const events: string[] = [];
    client.subscribe((e) => events.push(e.status));
    const start = client.start({ transferId: 't', direction: 'download', transferSpec: {} });
    await new Promise((r) => setTimeout(r, 0));
    scripts[1]!.onerror!();
    await expect(start).rejects.toMatchObject({ code: 'CLIENT_UNAVAILABLE' });
    expect(events).toEqual(['failed']);
  });
});
