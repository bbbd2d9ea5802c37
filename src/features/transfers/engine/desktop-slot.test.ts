import { describe, expect, it, vi } from 'vitest';
import type { AsperaSdkClient } from '../../../transfer-clients';
import { createDesktopSlot } from './desktop-slot';

const client = (name: string) => ({ name }) as unknown as AsperaSdkClient;

describe('the Desktop slot', () => {
  it('holds the first client only, and tells its listeners once', () => {
    const slot = createDesktopSlot();
    const listener = vi.fn();
    slot.subscribe(listener);
    expect(slot.current()).toBeUndefined();
    const first = client('first');
    slot.attach(first);
    slot.attach(client('second'));
    expect(slot.current()).toBe(first);
    expect(listener).toHaveBeenCalledTimes(1);
  });

  it('stops telling a listener that unsubscribed', () => {
    const slot = createDesktopSlot();
    const listener = vi.fn();
    slot.subscribe(listener)();
    slot.attach(client('only'));
    expect(listener).not.toHaveBeenCalled();
  });
});
