// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { DownloadState } from '../../hooks/use-download-progress';
import { render, type Rendered } from '../../testing/render';
import { DownloadProgress } from './download-progress';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

const state = (more: Partial<DownloadState>): DownloadState => ({
  title: 'plans.bin',
  status: 'running',
  bytesDone: 0,
  bytesTotal: null,
  error: null,
  carrier: 'http-gateway',
  ...more,
});

function said(s: DownloadState | null) {
  view?.unmount();
  view = render(<DownloadProgress state={s} />);
  return view.container.querySelector('[role="status"]')?.textContent;
}

describe('DownloadProgress', () => {
  it('keeps an empty status region in the page before any download, so the first one is announced', () => {
    expect(said(null)).toBe('');
  });

  it('announces progress by tenths, who carries it, and how it ended', () => {
    expect(said(state({ bytesDone: 399, bytesTotal: 1000 }))).toBe('plans.bin: downloading, 30 %.');
    expect(view!.container.querySelector('.cds--progress-bar')).not.toBeNull();
    expect(said(state({ status: 'authorizing' }))).toBe('plans.bin: downloading.');
    expect(said(state({ carrier: 'desktop', bytesDone: 5, bytesTotal: 10 }))).toBe(
      'plans.bin: downloading by IBM Aspera for Desktop, 50 %.',
    );
    expect(said(state({ status: 'completed', carrier: 'desktop' }))).toBe('plans.bin: downloaded by IBM Aspera for Desktop.');
    expect(said(state({ status: 'failed', error: 'The link was revoked.' }))).toBe('plans.bin: the download failed. The link was revoked.');
    expect(said(state({ status: 'cancelled' }))).toBe('plans.bin: the download was stopped.');
    expect(view!.container.querySelector('.cds--progress-bar')).toBeNull();
  });
});
