import { ProgressBar } from '@carbon/react';
import type { DownloadState } from '../../hooks/use-download-progress';

/**
 * A download's progress in a bar and in words a screen reader announces (at each tenth, not at
 * every chunk). The status region is in the page before any download, so the first one is heard.
 */
export function DownloadProgress({ state }: { state: DownloadState | null }) {
  if (!state) return <p role="status" className="courier-visually-hidden" />;
  const percent = state.bytesTotal ? Math.floor((state.bytesDone / state.bytesTotal) * 100) : null;
  const by = state.carrier === 'desktop' ? ' by IBM Aspera for Desktop' : '';
  const words =
    state.status === 'completed'
      ? `${state.title}: downloaded${by}.`
      : state.status === 'failed'
        ? `${state.title}: the download failed. ${state.error ?? ''}`
        : state.status === 'cancelled'
          ? `${state.title}: the download was stopped.`
          : `${state.title}: downloading${by}${percent === null ? '' : `, ${Math.floor(percent / 10) * 10} %`}.`;
  return (
    <div className="courier-public-share__progress">
      {state.status === 'running' || state.status === 'starting' || state.status === 'authorizing' ? (
        <ProgressBar
          label={`Downloading ${state.title}`}
          value={percent ?? undefined}
          max={100}
          helperText={percent === null ? '' : `${percent} %`}
        />
      ) : null}
      <p role="status" data-testid="download-status">
        {words}
      </p>
    </div>
  );
}
