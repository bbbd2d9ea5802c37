/**
 * A fake `window.asperaSdk` for tests (docs/architecture.md §5.4: fakes live at boundaries), typed against our own
 * declarations and playing the event sequences docs/aspera-sdk.md describes, defects included: reused
 * activity callback ids (§7), the gateway's live mutated objects (§7), its provisional `completed`
 * then `failed` ×3 (§6), a stopped in-browser download that runs on (§12.4), the synchronous throw of
 * gateway uploads with auth headers (§12.1). Never imported by production code (a unit test checks).
 */
import type {
  AsperaSdkGlobal,
  AsperaSdkSpec,
  AsperaSdkTransfer,
  BrowserStyleFile,
  DataTransferResponse,
  FilesList,
  InitOptions,
  InstallerEntry,
  InstallerInfo,
  SdkStatus,
  SdkTransferClient,
  SdkTransferSpec,
  TransferResponse,
} from '../sdk-types';

/** How a started transfer plays out. */
export type FakeScenario = 'complete' | 'fail' | 'hang' | 'gateway-rejected';

export interface FakeAsperaSdkOptions {
  /** The status after `initSession` (RUNNING = Desktop found). */
  status?: SdkStatus;
  /** Which client carries transfers while the status is RUNNING/DEGRADED. */
  transferClient?: SdkTransferClient;
  scenario?: FakeScenario;
  stepMs?: number;
  progressSteps?: number;
  /** What Desktop's dialogs return (absolute local paths); `'cancel'` closes them. */
  dialogFiles?: BrowserStyleFile[] | 'cancel';
  /** Transfers Desktop already holds for this app (a page reload). */
  existingTransfers?: AsperaSdkTransfer[];
  /**
   * `launch()` makes Desktop appear after a step, as the real Desktop does when the page's
   * `aspera://` frame reaches it: not when the page's CSP refused that frame.
   */
  launchStartsDesktop?: boolean;
  /** Where `getInstallerInfo()` reads `latest.json` (the real SDK's default: IBM's download site). */
  installerUrl?: string;
}

/** The real SDK's installer lookup (docs/aspera-sdk.md §11): `${installerUrl}/latest.json`. */
export const IBM_INSTALLER_URL = 'https://downloads.ibmaspera.com/downloads/desktop/latest/stable';

/** The platform names of `latest.json`, read from the user agent as the real SDK does. */
function currentPlatform(): InstallerEntry['platform'] {
  const ua = navigator.userAgent;
  if (/Mac/i.test(ua)) return 'macos';
  return /Win/i.test(ua) ? 'windows' : 'linux';
}

export class FakeAsperaSdk implements AsperaSdkGlobal {
  readonly options: Required<Omit<FakeAsperaSdkOptions, 'existingTransfers'>>;
  readonly activityCallbacks = new Map<string, (r: TransferResponse) => void>();
  readonly statusCallbacks = new Map<string, (s: SdkStatus) => void>();
  readonly started: { spec: SdkTransferSpec; sdkSpec: AsperaSdkSpec | undefined }[] = [];
  readonly store = new Map<string, AsperaSdkTransfer>();
  initOptions: InitOptions | undefined;
  launches = 0;
  /** Set when the page's CSP refused a frame (the `aspera://` launch link): Desktop never hears of it. */
  launchRefused = false;
  private status: SdkStatus | undefined;
  private nextScenarios: FakeScenario[] = [];
  private counter = 0;
  readonly globals = { launch: () => this.launch() };

  constructor(options: FakeAsperaSdkOptions = {}) {
    this.options = {
      status: options.status ?? 'RUNNING',
      transferClient: options.transferClient ?? 'desktop',
      scenario: options.scenario ?? 'complete',
      stepMs: options.stepMs ?? 50,
      progressSteps: options.progressSteps ?? 4,
      dialogFiles: options.dialogFiles ?? [],
      launchStartsDesktop: options.launchStartsDesktop ?? false,
      installerUrl: options.installerUrl ?? IBM_INSTALLER_URL,
    };
    for (const t of options.existingTransfers ?? []) this.store.set(t.uuid, t);
    // Unit tests may build it where no document exists; a browser page always has one.
    globalThis.document?.addEventListener('securitypolicyviolation', (e) => {
      if (e.violatedDirective.startsWith('frame-src') || e.blockedURI.startsWith('aspera')) this.launchRefused = true;
    });
  }

  // ---- test controls -------------------------------------------------------------------------

  /** The next transfers play these scenarios, in order, then the default. */
  queueScenario(...scenarios: FakeScenario[]): void {
    this.nextScenarios.push(...scenarios);
  }

  setStatus(status: SdkStatus): void {
    if (status === this.status) return; // §4: duplicates suppressed
    this.status = status;
    for (const cb of [...this.statusCallbacks.values()]) cb(status);
  }

  // ---- the documented API ----------------------------------------------------------------------

  initSession(options?: InitOptions): void {
    this.initOptions = options;
    this.setStatus('INITIALIZING');
    setTimeout(() => this.setStatus(this.options.status), this.options.stepMs);
  }

  registerStatusCallback(callback: (status: SdkStatus) => void): string {
    const id = `status-${Math.random().toString(16).slice(2)}`;
    this.statusCallbacks.set(id, callback);
    if (this.status) callback(this.status); // §4: called at once with the current status
    return id;
  }

  deregisterStatusCallback(id: string): void {
    this.statusCallbacks.delete(id);
  }

  getStatus(): SdkStatus | undefined {
    return this.status;
  }

  registerActivityCallback(callback: (response: TransferResponse) => void): string {
    const id = `callback-${this.activityCallbacks.size + 1}`; // §7: the SDK's id scheme, reuse included
    this.activityCallbacks.set(id, callback);
    return id;
  }

  deregisterActivityCallback(id: string): void {
    this.activityCallbacks.delete(id);
  }

  currentTransferClient(): SdkTransferClient | undefined {
    if (this.status === 'RUNNING') return this.options.transferClient;
    return this.status === 'DEGRADED' ? 'http-gateway' : undefined;
  }

  startTransfer(spec: SdkTransferSpec, sdkSpec?: AsperaSdkSpec): Promise<AsperaSdkTransfer> {
    const client = this.currentTransferClient();
    if (client === 'http-gateway' && spec.direction === 'send' && sdkSpec?.http_gateway_authentication) {
      // §12.1: headers set before open(): a synchronous throw, not a rejection.
      throw new DOMException(
        "Failed to execute 'setRequestHeader' on 'XMLHttpRequest': The object's state must be OPENED.",
        'InvalidStateError',
      );
    }
    if (typeof spec?.direction !== 'string' || typeof spec.remote_host !== 'string' || !Array.isArray(spec.paths)) {
      return Promise.reject({ error: true, message: 'The supplied transferSpec is not valid' });
    }
    if (!client) return Promise.reject({ error: true, message: 'IBM Aspera SDK has not been verified. Run test or init first' });
    this.started.push({ spec, sdkSpec });
    const scenario = this.nextScenarios.shift() ?? this.options.scenario;
    const t = this.newTransfer(spec, client);
    this.store.set(t.uuid, t);
    if (client === 'desktop') this.playDesktop(t, scenario);
    else if (spec.direction === 'send') this.playGatewayUpload(t, scenario);
    else this.playGatewayDownload(t, scenario);
    // Desktop answers with a fresh RPC object; the gateway hands out its live one (§7).
    return Promise.resolve(client === 'desktop' ? structuredClone(t) : t);
  }

  stopTransfer(id: string): Promise<unknown> {
    const t = this.store.get(id);
    if (!t) return Promise.reject({ error: true, message: 'Unable to stop transfer' });
    if (t.httpDownloadExternalHandle)
      return Promise.reject({ error: true, message: "Transfer must be cancelled from the browser's download manager" });
    this.set(t, { status: 'cancelled' });
    if (!(t.transfer_client === 'http-gateway' && t.transfer_spec.direction === 'receive')) this.cancelTimers(t.uuid);
    return Promise.resolve(undefined);
  }

  resumeTransfer(id: string): Promise<AsperaSdkTransfer> {
    const t = this.store.get(id);
    if (!t || t.transfer_client !== 'desktop')
      return Promise.reject({ error: true, message: 'IBM Aspera SDK has not been verified. Run test or init first' });
    this.playDesktop(t, 'complete', true);
    return Promise.resolve(structuredClone(t));
  }

  removeTransfer(id: string): Promise<unknown> {
    const t = this.store.get(id);
    if (!t) return Promise.reject({ error: true, message: 'Unable to remove transfer' });
    this.cancelTimers(id);
    this.set(t, { status: 'removed' });
    this.store.delete(id);
    return Promise.resolve({ removed: true });
  }

  getAllTransfers(): Promise<AsperaSdkTransfer[]> {
    return Promise.resolve([...this.store.values()].map((t) => structuredClone(t)));
  }

  getTransfer(id: string): Promise<AsperaSdkTransfer> {
    const t = this.store.get(id);
    return t ? Promise.resolve(structuredClone(t)) : Promise.reject({ error: true, message: 'Unable to get transfer' });
  }

  /** §9: finished files for a completed transfer; for a failed one the first file made it, the rest failed. */
  getFilesList(id: string, options: { limit?: number; offset?: number } = {}): Promise<FilesList> {
    const t = this.store.get(id);
    if (!t || t.transfer_client !== 'desktop') return Promise.reject({ error: true, message: 'Unable to get files list' });
    const paths = t.transfer_spec.paths ?? [];
    const size = paths.length ? Math.floor(t.bytes_expected / paths.length) : 0;
    const entries = paths.map((p, i) => {
      const failed = t.status === 'failed' && i > 0;
      return {
        file: p.source,
        bytes_written: failed ? 0 : size,
        bytes_expected: size,
        elapsed_usec: 1000,
        status: failed
          ? ('failed' as const)
          : t.status === 'completed' || t.status === 'failed'
            ? ('finished' as const)
            : ('running' as const),
        ...(failed ? { error: { code: 19, description: 'Token authorization failed' } } : {}),
      };
    });
    const offset = options.offset ?? 0;
    const limit = options.limit ?? 100;
    return Promise.resolve({ entries: entries.slice(offset, offset + limit), total_count: entries.length, limit, offset });
  }

  showSelectFileDialog(): Promise<DataTransferResponse> {
    return this.dialog();
  }

  showSelectFolderDialog(): Promise<DataTransferResponse> {
    return this.dialog();
  }

  /** §11: a real request, as the SDK makes it, so the page's CSP and network decide, not the fake. */
  async getInstallerInfo(options: { endpoint?: string; all?: true } = {}): Promise<InstallerInfo> {
    const base = (options.endpoint ?? this.options.installerUrl).replace(/\/latest\.json$/, '');
    let data: InstallerInfo;
    try {
      data = (await (await fetch(`${base}/latest.json`)).json()) as InstallerInfo;
    } catch {
      throw { error: true, message: 'Unable to get latest installers' };
    }
    if (options.all) return data;
    const platform = currentPlatform();
    return { entries: data.entries.filter((e) => e.platform === platform) };
  }

  /** §11: as the SDK does, a hidden iframe to `aspera://`, which the browser hands to the OS and Desktop. */
  launch(): void {
    this.launches += 1;
    const frame = document.createElement('iframe');
    frame.src = 'aspera://';
    frame.setAttribute('style', 'display: none !important; width: 1px !important; height: 1px !important;');
    document.body.appendChild(frame);
    if (this.options.launchStartsDesktop)
      setTimeout(() => {
        if (!this.launchRefused) this.setStatus('RUNNING');
      }, this.options.stepMs);
  }

  // ---- sequences --------------------------------------------------------------------------------

  private timers = new Map<string, ReturnType<typeof setTimeout>[]>();

  private dialog(): Promise<DataTransferResponse> {
    const files = this.options.dialogFiles;
    if (files === 'cancel')
      return Promise.reject({
        error: true,
        message: 'User cancelled',
        debugData: { code: -32002, message: 'User cancelled the select file or folder dialog.' },
      });
    return Promise.resolve({ dataTransfer: { files: structuredClone(files) } });
  }

  private newTransfer(spec: SdkTransferSpec, client: SdkTransferClient): AsperaSdkTransfer {
    const expected = spec.tags?.aspera?.['http-gateway']?.expected_size ?? 1_000_000;
    this.counter += 1;
    return {
      uuid: `fake-${this.counter}-${Math.random().toString(16).slice(2, 10)}`,
      transfer_spec: client === 'desktop' ? { ...structuredClone(spec), token: undefined } : spec,
      add_time: new Date().toISOString(),
      end_time: '',
      current_file: '',
      file_counts: { attempted: 0, completed: 0, failed: 0, skipped: 0 },
      explorer_path: '',
      status: 'initiating',
      previous_status: 'initiating',
      bytes_written: 0,
      bytes_expected: client === 'desktop' ? expected : 0,
      percentage: 0,
      calculated_rate_kbps: 0,
      elapsed_usec: 0,
      remaining_usec: 0,
      title: spec.title ?? 'transfer',
      transfer_client: client,
      ...(client === 'http-gateway' ? { httpGatewayTransfer: true } : {}),
    };
  }

  /** Steps `fns` one `stepMs` apart; `stop`/`remove` cancel the rest. */
  private steps(uuid: string, fns: (() => void)[]): void {
    this.cancelTimers(uuid);
    const handles = fns.map((fn, i) => setTimeout(fn, this.options.stepMs * (i + 1)));
    this.timers.set(uuid, handles);
  }

  private cancelTimers(uuid: string): void {
    for (const h of this.timers.get(uuid) ?? []) clearTimeout(h);
    this.timers.delete(uuid);
  }

  private progress(t: AsperaSdkTransfer, total: number, upTo = this.options.progressSteps): (() => void)[] {
    const n = this.options.progressSteps;
    return Array.from({ length: upTo }, (_, i) => () => {
      const written = Math.round((total * (i + 1)) / (n + 1));
      this.set(t, {
        status: 'running',
        bytes_written: written,
        bytes_expected: total,
        percentage: written / total,
        calculated_rate_kbps: 8000,
      });
    });
  }

  private playDesktop(t: AsperaSdkTransfer, scenario: FakeScenario, resumed = false): void {
    const total = t.bytes_expected;
    const head = resumed ? [] : [() => this.set(t, { status: 'initiating' }), () => this.set(t, { status: 'queued' })];
    if (scenario === 'complete') {
      this.steps(t.uuid, [
        ...head,
        ...this.progress(t, total),
        () =>
          this.set(t, {
            status: 'completed',
            bytes_written: total,
            percentage: 1,
            end_time: new Date().toISOString(),
            file_counts: { attempted: 1, completed: 1, failed: 0, skipped: 0 },
          }),
      ]);
    } else if (scenario === 'fail') {
      this.steps(t.uuid, [
        ...head,
        ...this.progress(t, total, 1),
        () => this.set(t, { status: 'failed', error_code: 19, error_desc: 'Server aborted session: Token authorization failed' }),
      ]);
    } else {
      this.steps(t.uuid, [...head, ...this.progress(t, total, 1)]);
    }
  }

  private playGatewayUpload(t: AsperaSdkTransfer, scenario: FakeScenario): void {
    const body = 1_000_500; // the multipart body: a bit more than the files (§6)
    const answer =
      scenario === 'gateway-rejected' || scenario === 'fail'
        ? [
            () => {
              t.httpRequestId = 'req-rejected';
              for (let i = 0; i < 3; i++) this.set(t, { status: 'failed', error_code: 403, error_desc: 'Access denied to /Upload' });
            },
          ]
        : [() => void (t.httpRequestId = 'req-ok')]; // §12.2: no event for a successful answer
    const sent = () => this.set(t, { status: 'completed', bytes_written: body, percentage: 1 });
    this.set(t, { status: 'running' });
    this.steps(t.uuid, scenario === 'hang' ? this.progress(t, body, 1) : [...this.progress(t, body), sent, ...answer]);
  }

  private playGatewayDownload(t: AsperaSdkTransfer, scenario: FakeScenario): void {
    const total = t.transfer_spec.tags?.aspera?.['http-gateway']?.expected_size ?? 1000;
    const end =
      scenario === 'fail'
        ? () => this.set(t, { status: 'failed', error_code: 500, error_desc: 'HTTP network encountered unknown error.' })
        : () => this.set(t, { status: 'completed', bytes_written: total, percentage: 1 });
    // Each chunk sets `running` again, even after a stop (§12.4).
    this.steps(t.uuid, [() => this.set(t, { status: 'running' }), ...this.progress(t, total), end]);
  }

  private set(t: AsperaSdkTransfer, patch: Partial<AsperaSdkTransfer>): void {
    if (patch.status && patch.status !== t.status) t.previous_status = t.status;
    Object.assign(t, patch); // mutate in place, as the SDK does (§7)
    const payload = t.transfer_client === 'desktop' ? structuredClone(t) : t;
    for (const cb of [...this.activityCallbacks.values()]) cb({ transfers: [payload] });
  }
}
