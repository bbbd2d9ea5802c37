import { useRef, useState, type DragEvent } from 'react';
import type { UploadSource } from '../../../transfer-clients';
import { MAX_UPLOAD_FILES, UNREADABLE_TITLE, checkUpload } from '../../../lib/upload/check-upload';
import { collectDrop, collectFileList, startReadabilityCheck } from '../../../lib/upload/collect-upload';
import type { CollectedUpload } from '../../../lib/upload/collected-upload';

export interface UploadRequest {
  sources: UploadSource[];
  emptyFolders: string[];
  /** Whether every source can be read now: null, or why not, naming them. */
  checkReadable: () => Promise<string | null>;
}

export type IntakeState =
  | { step: 'idle' }
  | { step: 'reading' }
  | { step: 'review'; upload: UploadRequest; fileCount: number; bytes: number; abandonCheck: () => void }
  | { step: 'refused'; title: string; detail: string };

/** Files that the OS drags carry "Files"; text or a link dragged from the page does not. */
const carriesFiles = (event: DragEvent) => Array.from(event.dataTransfer.types).includes('Files');

/**
 * From a drop or a pick to an upload request: reads the tree, refuses what cannot go (with the
 * reason), asks for a review when the drop is large, and hands the rest to `start`.
 */
export function useUploadIntake(
  enabled: boolean,
  start: (upload: UploadRequest) => void,
  /** Why a drop here is refused when uploads are not enabled (a viewer's role); null: drops are ignored. */
  refusal: { title: string; detail: string } | null = null,
) {
  // A refused drop is still caught, to say why rather than letting the browser open the file.
  const catches = enabled || refusal !== null;
  const [state, setState] = useState<IntakeState>({ step: 'idle' });
  const [dragging, setDragging] = useState(false);
  // dragenter/dragleave fire for every child crossed; count them to know when the pointer left.
  const depth = useRef(0);

  const intake = async (read: () => Promise<CollectedUpload> | CollectedUpload) => {
    setState({ step: 'reading' });
    try {
      const collected = await read();
      const check = checkUpload(collected);
      if (!check.ok) {
        setState({ step: 'refused', title: check.title, detail: check.detail });
        return;
      }
      const readability = startReadabilityCheck(collected.sources);
      const upload: UploadRequest = { sources: collected.sources, emptyFolders: collected.emptyFolders, checkReadable: readability.check };
      if (check.needsReview) {
        setState({ step: 'review', upload, fileCount: check.fileCount, bytes: check.bytes, abandonCheck: readability.abandon });
        // Found while the person reviews: refused before anything is sent.
        void readability.first.then((reason) => {
          if (reason)
            setState((now) =>
              now.step === 'review' && now.upload === upload ? { step: 'refused', title: UNREADABLE_TITLE, detail: reason } : now,
            );
        });
        return;
      }
      const unreadable = await readability.first;
      if (unreadable) {
        setState({ step: 'refused', title: UNREADABLE_TITLE, detail: unreadable });
        return;
      }
      setState({ step: 'idle' });
      start(upload);
    } catch {
      setState({
        step: 'refused',
        title: 'The drop could not be read',
        detail: 'The browser did not let Courier read what you dropped. Try "Upload files" or "Upload folder" instead.',
      });
    }
  };

  const dropHandlers = {
    onDragEnter: (event: DragEvent) => {
      if (!catches || !carriesFiles(event)) return;
      event.preventDefault();
      depth.current += 1;
      setDragging(true);
    },
    onDragOver: (event: DragEvent) => {
      if (!catches || !carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDragLeave: (event: DragEvent) => {
      if (!catches || !carriesFiles(event)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setDragging(false);
    },
    onDrop: (event: DragEvent) => {
      if (!catches) return;
      event.preventDefault();
      depth.current = 0;
      setDragging(false);
      if (!enabled && refusal) {
        setState({ step: 'refused', ...refusal });
        return;
      }
      void intake(collectDrop(event.dataTransfer, MAX_UPLOAD_FILES));
    },
  };

  return {
    state,
    dragging,
    dropHandlers,
    pick: (files: FileList | null) => void intake(() => collectFileList(files ?? [], MAX_UPLOAD_FILES)),
    confirm: () => {
      if (state.step !== 'review') return;
      // The upload opens every file anyway, and explains one it cannot read.
      state.abandonCheck();
      setState({ step: 'idle' });
      start(state.upload);
    },
    dismiss: () => {
      if (state.step === 'review') state.abandonCheck();
      setState({ step: 'idle' });
    },
  };
}
