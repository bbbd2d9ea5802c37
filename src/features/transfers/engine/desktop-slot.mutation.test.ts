import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { AsperaSdkClient } from '../../../transfer-clients';
import { createDesktopSlot } from './desktop-slot';

// Loading Desktop's adapter through the slot: the adapter's chunk is the boundary here, replaced so
// that the test sees how often the client is made and can make the load fail.
const adapter = vi.hoisted(() => ({ createAsperaSdkClient: vi.fn() }));
vi.mock('../../../transfer-clients/desktop-client', () => adapter);

const client = (name: string) => ({ name }) as unknown as AsperaSdkClient;

beforeEach(() => {
  adapter.createAsperaSdkClient.mockReset().mockImplementation(({ appId }: { appId: string }) => client(appId));
});

describe('loading Desktop through the slot', () => {
  it('makes one client for the page with the SDK URL and app id, however often it is asked, and tells listeners', async () => {
    const slot = createDesktopSlot();
    const listener = vi.fn();
    slot.subscribe(listener);
    const [first, second] = await Promise.all([
      slot.load('https://cdn/sdk.js', 'courier:u1'),
      slot.load('https://cdn/sdk.js', 'courier:u1'),
    ]);
    expect(first).toBe(second);
    expect(slot.current()).toBe(first);
    expect(await slot.load('https://cdn/sdk.js', 'courier:u1')).toBe(first);
    expect(adapter.createAsperaSdkClient).toHaveBeenCalledTimes(1);
    expect(adapter.createAsperaSdkClient).toHaveBeenCalledWith({ sdkUrl: 'https://cdn/sdk.js', appId: 'courier:u1' });
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('hands back the client already attached rather than a second one', async () => {
    const slot = createDesktopSlot();
    const attached = client('attached');
    slot.attach(attached);
    expect(await slot.load('https://cdn/sdk.js', 'courier:u1')).toBe(attached);
    expect(slot.current()).toBe(attached);
  });

  it('a failed load can be tried again', async () => {
    const slot = createDesktopSlot();
    adapter.createAsperaSdkClient.mockImplementationOnce(() => {
      throw new Error('chunk failed');
    });
    await expect(slot.load('https://cdn/sdk.js', 'a')).rejects.toThrow('chunk failed');
    expect(slot.current()).toBeUndefined();
    const loaded = await slot.load('https://cdn/sdk.js', 'a');
    expect(slot.current()).toBe(loaded);
    expect(adapter.createAsperaSdkClient).toHaveBeenCalledTimes(2);
  });
});
