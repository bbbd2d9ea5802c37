import { isEnded } from '../../../contract/transfer-status';
import type { StartRequest, TransferClient, TransferClientAvailability } from '../transfer-client';
import { createListenerSet } from '../transfer-listeners';
import { TransferClientError } from '../transfer-error';
import { loadAsperaSdk, DEFAULT_SDK_LOAD_TIMEOUT_MS } from './load-aspera-sdk';
import { pickLocalFiles, pickLocalFolders, type LocalItem } from './native-picking';
import { normaliseSdkError } from './sdk-errors';
import { availabilityFor, type SdkState } from './sdk-status';
import { createSdkTransfers, pausedMemory, type Tracked } from './sdk-transfers';
import type {
  AsperaSdkGlobal,
  FileDialogOptions,
  FolderDialogOptions,
  InitOptions,
  InstallerEntry,
  SdkStatus,
  SdkTransferSpec,
} from './sdk-types';

export interface AsperaSdkClientOptions {
  /** The SDK browser bundle (`…/dist/js/aspera-sdk.js`) from Courier's settings. */
  sdkUrl: string;
  /** Stable per user (§3): Desktop groups transfers by it, so the list survives a reload. */
  appId: string;
  httpGatewaySettings?: InitOptions['httpGatewaySettings'];
  loadTimeoutMs?: number;
  /** How long `availability()` waits for Desktop detection (SDK default retryTimeout 5 s + margin). */
  detectionTimeoutMs?: number;
  /** §12.2: how long a gateway upload's provisional `completed` waits for a late `failed`. */
  provisionalCompletionMs?: number;
  window?: Window;
}

export interface AsperaSdkAvailability extends TransferClientAvailability {
  state: SdkState;
  sdkStatus?: SdkStatus;
}

export interface AsperaSdkClient extends TransferClient {
  availability(): Promise<AsperaSdkAvailability>;
  /** Called on every status change (Desktop launched, quit, …); returns the unsubscribe. */
  subscribeAvailability(listener: (availability: AsperaSdkAvailability) => void): () => void;
  /** When Desktop is missing: what to offer (§11). */
  desktop: {
    installers(): Promise<InstallerEntry[]>;
    launch(): void;
  };
  /** Desktop's own dialogs (§10), for when `capabilities.nativeFilePicking` is true. */
  native: {
    pickFiles(options?: FileDialogOptions): Promise<LocalItem[] | null>;
    pickFolders(options?: FolderDialogOptions): Promise<LocalItem[] | null>;
  };
}

/** How long the installer lookup (IBM's download site, §11) may take before the fixed link is offered. */
const INSTALLER_LOOKUP_TIMEOUT_MS = 10_000;

/** The aspera-sdk adapter: `window.asperaSdk` driving IBM Aspera for Desktop (docs/aspera-sdk.md). */
export function createAsperaSdkClient(options: AsperaSdkClientOptions): AsperaSdkClient {
  const win = options.window ?? window;
  const statusListeners = createListenerSet<AsperaSdkAvailability>();
  const storage = (() => {
    try {
      return win.localStorage;
    } catch {
      return undefined; // storage refused (a sandboxed frame)
    }
  })();
  const transfers = createSdkTransfers(
    options.provisionalCompletionMs ?? 3000,
    () => ensureStarted(),
    pausedMemory(storage, `courier-desktop-paused:${options.appId}`),
  );
  let current: AsperaSdkAvailability = { available: false, state: 'loading', reason: 'Looking for IBM Aspera for Desktop…' };
  let restored = false;
  let started: Promise<AsperaSdkGlobal | null> | undefined;

  function setAvailability(next: AsperaSdkAvailability): void {
    current = next;
    statusListeners.emit({ ...next });
  }

  async function restore(sdk: AsperaSdkGlobal): Promise<void> {
    // §12.9: Desktop keeps its transfers per appId across reloads; bring ours back into the panel.
    if (restored) return;
    restored = true;
    try {
      for (const t of await sdk.getAllTransfers()) transfers.onTransfer(t);
    } catch {
      restored = false;
    }
  }

  function ensureStarted(): Promise<AsperaSdkGlobal | null> {
    started ??= (async () => {
      let sdk: AsperaSdkGlobal;
      try {
        sdk = await loadAsperaSdk(options.sdkUrl, win, options.loadTimeoutMs ?? DEFAULT_SDK_LOAD_TIMEOUT_MS);
      } catch (error) {
        started = undefined; // a later call may retry the load
        setAvailability({ available: false, state: 'unavailable', reason: (error as Error).message });
        return null;
      }
      // §7 / §12.6: callback ids are reused after a deregistration, so one callback for the page
      // lifetime, never deregistered, fanned out here.
      sdk.registerActivityCallback((response) => {
        for (const t of Array.isArray(response?.transfers) ? response.transfers : []) transfers.onTransfer(t);
      });
      sdk.registerStatusCallback((status) => {
        setAvailability(availabilityFor(status));
        if (status === 'RUNNING') void restore(sdk);
      });
      try {
        sdk.initSession({
          appId: options.appId,
          ...(options.httpGatewaySettings ? { httpGatewaySettings: options.httpGatewaySettings } : {}),
        });
      } catch (error) {
        setAvailability({ available: false, state: 'failed', reason: normaliseSdkError(error, 'start of IBM Aspera for Desktop').message });
      }
      return sdk;
    })();
    return started;
  }

  async function settled(): Promise<AsperaSdkAvailability> {
    if (current.state !== 'loading') return current;
    const timeout = options.detectionTimeoutMs ?? 8000;
    return new Promise((resolve) => {
      const stop = statusListeners.add((a) => {
        if (a.state === 'loading') return;
        clearTimeout(timer);
        stop();
        resolve(a);
      });
      const timer = setTimeout(() => {
        stop();
        if (current.state === 'loading')
          setAvailability({
            available: false,
            state: 'failed',
            reason: 'IBM Aspera for Desktop did not answer in time: launch it, or install it.',
          });
        resolve(current);
      }, timeout);
    });
  }

  async function requireSdk(action: string): Promise<AsperaSdkGlobal> {
    const sdk = await ensureStarted();
    if (!sdk)
      throw new TransferClientError('CLIENT_UNAVAILABLE', current.reason ?? `The IBM Aspera SDK is not available for the ${action}.`);
    return sdk;
  }

  function tracked(transferId: string): Tracked & { uuid: string } {
    const t = transfers.get(transferId);
    if (!t?.uuid)
      throw new TransferClientError(
        'UNKNOWN_TRANSFER',
        'IBM Aspera for Desktop does not know this transfer (it was removed, or started elsewhere).',
      );
    return t as Tracked & { uuid: string };
  }

  /** §12.7: control calls go to the SDK's *current* client, not the one that carries the transfer. */
  function checkRoute(sdk: AsperaSdkGlobal, t: Tracked, action: string): void {
    const now = sdk.currentTransferClient();
    if (t.client && now && now !== t.client) {
      throw new TransferClientError(
        'NOT_SUPPORTED',
        `This transfer runs on ${t.client === 'desktop' ? 'IBM Aspera for Desktop' : 'the HTTP Gateway'}, which is not the active client any more, so it cannot be ${action} from here.`,
      );
    }
  }

  return {
    kind: 'desktop',
    // Desktop stops and resumes where it stopped (§9); its per-file list arrives on the final event
    // of a transfer (`files`).
    capabilities: { pause: true, resume: true, perFileProgress: true, nativeFilePicking: true },

    async availability() {
      await ensureStarted();
      return { ...(await settled()) };
    },

    // Like the SDK's status callback (§4): called at once with the current value, then on changes.
    subscribeAvailability(listener) {
      void ensureStarted();
      const unsubscribe = statusListeners.add(listener);
      listener({ ...current });
      return unsubscribe;
    },

    async start(request: StartRequest) {
      const t = transfers.track(request.transferId);
      const sdk = await ensureStarted();
      const ready = await settled();
      // DEGRADED still carries transfers when the SDK was given its own gateway (§4).
      if (!sdk || !(ready.available || (ready.state === 'degraded' && options.httpGatewaySettings))) {
        const error = { code: 'CLIENT_UNAVAILABLE' as const, message: ready.reason ?? 'IBM Aspera for Desktop is not available.' };
        transfers.emit(t, { transferId: request.transferId, status: 'failed', bytesDone: 0, bytesTotal: null, error });
        throw new TransferClientError(error.code, error.message);
      }
      t.stopped = false;
      t.removed = false;
      t.last = undefined;
      // §12.10: the SDK keeps (and the gateway path even shares) the spec object: hand it a copy.
      const spec = structuredClone(request.transferSpec) as SdkTransferSpec;
      if (request.localPaths) spec.paths = request.localPaths.map((p) => ({ ...p }));
      if (typeof spec.token === 'string' && spec.authentication === undefined) spec.authentication = 'token';
      const size = spec.tags?.aspera?.['http-gateway']?.expected_size;
      transfers.emit(t, {
        transferId: request.transferId,
        status: 'starting',
        bytesDone: 0,
        bytesTotal: typeof size === 'number' && size > 0 ? size : null,
      });
      try {
        // §12.5: always an object (Connect throws without one and mutates it). §12.1/§12.8: a
        // synchronous throw inside `await` lands in this catch like a rejection.
        const transfer = await sdk.startTransfer(spec, {});
        if (transfer && typeof transfer.uuid === 'string') {
          transfers.track(request.transferId, transfer.uuid);
          t.client = transfer.transfer_client ?? t.client;
          if (typeof transfer.status === 'string') transfers.onTransfer(transfer);
        }
      } catch (error) {
        const failure = normaliseSdkError(error, 'transfer');
        transfers.emit(t, { transferId: request.transferId, status: 'failed', bytesDone: 0, bytesTotal: null, error: failure });
        throw new TransferClientError(failure.code, failure.message);
      }
    },

    async stop(transferId) {
      const sdk = await requireSdk('cancel');
      const t = tracked(transferId);
      if (t.last && isEnded(t.last.status)) return;
      if (t.last?.handedToBrowser)
        throw new TransferClientError('NOT_SUPPORTED', "This download is in your browser's downloads now: cancel it there.");
      checkRoute(sdk, t, 'cancelled');
      t.stopped = true;
      // A paused transfer is already stopped in Desktop: cancelling it is only saying so.
      if (t.paused) {
        t.paused = false;
        transfers.emit(t, { transferId, status: 'cancelled', bytesDone: t.last?.bytesDone ?? 0, bytesTotal: t.last?.bytesTotal ?? null });
        return;
      }
      transfers.stopHolding(t);
      try {
        await sdk.stopTransfer(t.uuid);
      } catch (error) {
        t.stopped = false;
        const { code, message } = normaliseSdkError(error, 'cancel');
        throw new TransferClientError(code, message);
      }
      // §12.4: a gateway in-browser download only flips to `cancelled` once and then runs on; show
      // what the person asked for and ignore the rest (the SDK may still save the file).
      if (t.client === 'http-gateway')
        transfers.emit(t, { transferId, status: 'cancelled', bytesDone: t.last?.bytesDone ?? 0, bytesTotal: t.last?.bytesTotal ?? null });
    },

    // §9: Desktop's stop keeps what arrived, and `resumeTransfer` continues from there; the
    // `cancelled` it reports meanwhile is shown as `paused`.
    async pause(transferId) {
      const sdk = await requireSdk('pause');
      const t = tracked(transferId);
      if (t.client === 'http-gateway')
        throw new TransferClientError('NOT_SUPPORTED', 'A transfer through the browser cannot be paused: cancel it, or let it run.');
      if (t.last && (isEnded(t.last.status) || t.last.status === 'paused')) return;
      checkRoute(sdk, t, 'paused');
      t.paused = true;
      try {
        await sdk.stopTransfer(t.uuid);
      } catch (error) {
        t.paused = false;
        const { code, message } = normaliseSdkError(error, 'pause');
        throw new TransferClientError(code, message);
      }
    },

    async resume(transferId) {
      const sdk = await requireSdk('resume');
      const t = tracked(transferId);
      if (t.client === 'http-gateway')
        throw new TransferClientError('NOT_SUPPORTED', 'A gateway transfer cannot be resumed: start it again.');
      checkRoute(sdk, t, 'resumed');
      t.stopped = false;
      const wasPaused = t.paused;
      t.paused = false;
      try {
        const transfer = await sdk.resumeTransfer(t.uuid);
        t.last = undefined;
        if (transfer && typeof transfer.status === 'string') transfers.onTransfer(transfer);
      } catch (error) {
        t.paused = wasPaused;
        const { code, message } = normaliseSdkError(error, 'resume');
        throw new TransferClientError(code, message);
      }
    },

    async remove(transferId) {
      const t = transfers.get(transferId);
      if (!t) return;
      transfers.forget(t);
      if (!t.uuid) return;
      const sdk = await requireSdk('removal');
      try {
        await sdk.removeTransfer(t.uuid);
      } catch {
        // Already gone from the client's list: forgetting it here is what was asked.
      }
    },

    subscribe: (listener) => transfers.subscribe(listener),

    desktop: {
      async installers() {
        const sdk = await ensureStarted();
        let timer: number | undefined;
        try {
          // §12.11: a lookup answered with something other than JSON never settles; stop waiting.
          const timeout = new Promise<undefined>((resolve) => (timer = win.setTimeout(resolve, INSTALLER_LOOKUP_TIMEOUT_MS)));
          return (await Promise.race([sdk?.getInstallerInfo(), timeout]))?.entries ?? [];
        } catch {
          return [];
        } finally {
          win.clearTimeout(timer);
        }
      },
      launch() {
        void ensureStarted().then((sdk) => {
          // §11: `launch` is an unbound copy whose error fallback uses `this`; globals.launch is not.
          if (sdk?.globals?.launch) sdk.globals.launch();
          else sdk?.launch();
        });
      },
    },

    native: {
      pickFiles: async (o) => pickLocalFiles(await requireSdk('file selection'), o),
      pickFolders: async (o) => pickLocalFolders(await requireSdk('folder selection'), o),
    },
  };
}
