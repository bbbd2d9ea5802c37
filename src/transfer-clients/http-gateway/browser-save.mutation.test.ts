// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openInHiddenFrame, saveBlobWithAnchor } from './browser-save';

describe('browser saves', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('saves a Blob through a hidden anchor and revokes its URL a minute later, not at once', () => {
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:courier/1');
    const revoke = vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked: HTMLAnchorElement[] = [];
    document.addEventListener('click', (e) => clicked.push(e.target as HTMLAnchorElement), { once: true });
    saveBlobWithAnchor(document, new Blob(['x']), 'report.pdf');
    expect(clicked).toHaveLength(1);
    expect(clicked[0]).toMatchObject({ href: 'blob:courier/1', download: 'report.pdf' });
    expect(clicked[0]!.style.display).toBe('none');
    expect(document.querySelector('a')).toBeNull();
    vi.advanceTimersByTime(59_999);
    expect(revoke).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(revoke).toHaveBeenCalledWith('blob:courier/1');
  });

  it('opens a download in a hidden iframe that stays ten minutes', () => {
    openInHiddenFrame(document, 'https://gw.example/v3/download?sig=1');
    const frame = document.querySelector('iframe')!;
    expect(frame).toMatchObject({ hidden: true, src: 'https://gw.example/v3/download?sig=1' });
    expect(frame.style.display).toBe('none');
    vi.advanceTimersByTime(10 * 60_000 - 1);
    expect(document.querySelector('iframe')).not.toBeNull();
    vi.advanceTimersByTime(1);
    expect(document.querySelector('iframe')).toBeNull();
  });
});
