import type { TransferClientAvailability, TransferClientKind } from './transfer-client';

/** A client the portal allows for one transfer (`clients` of `POST /api/transfers`, best first). */
export interface ClientOption {
  type: TransferClientKind;
  /** The gateway base URL for `http-gateway`. */
  url?: string;
}

export interface ClientChoice {
  kind: TransferClientKind;
  /** For `http-gateway`: the base URL to pass as `StartRequest.gatewayUrl`. */
  gatewayUrl?: string;
  /** Shown next to the transfer: why this client carries it. */
  reason: string;
  /** Whether the person picked it rather than Courier. */
  overridden: boolean;
}

export interface ChooseClientInput {
  /** The portal's `clients` for this transfer. */
  allowed: readonly ClientOption[];
  /** Desktop's availability (from the aspera-sdk adapter); absent when the SDK is not configured. */
  desktop?: TransferClientAvailability;
  /** The person's choice, honoured when the portal allows it and the client is there. */
  override?: TransferClientKind;
  /**
   * Where an upload's files are: `browser` (a browser drop or pick: files without a local path
   * Desktop could read, so only the gateway can send them) or `local` (real paths from Desktop's
   * own dialogs, which only Desktop can send). Absent for a download.
   */
  files?: 'browser' | 'local';
}

type Choice = ClientChoice | { kind: null; reason: string };

/**
 * Desktop when it runs, the portal allows it for this transfer (faster, resumable, real local
 * paths) and the person did not pick the browser, else the HTTP Gateway; then an upload's files
 * decide (see `files`). `null` when no allowed client can carry it, with the reason.
 */
export function chooseClient(input: ChooseClientInput): Choice {
  const choice = chooseAny(input);
  const { files, allowed } = input;
  if (!files || choice.kind === null) return choice;
  if (files === 'local' && choice.kind !== 'desktop') {
    return {
      kind: null,
      reason: allowed.some((c) => c.type === 'desktop')
        ? 'These files were picked through IBM Aspera for Desktop, which cannot carry them now: choose them again.'
        : "This space's server takes uploads through the browser only: choose the files again, the browser's dialog will open.",
    };
  }
  if (files === 'browser' && choice.kind === 'desktop') {
    const gatewayUrl = allowed.find((c) => c.type === 'http-gateway')?.url;
    if (!gatewayUrl)
      return {
        kind: null,
        reason:
          'Files from the browser need the HTTP Gateway, which this server does not offer: use "Upload files" with IBM Aspera for Desktop.',
      };
    return {
      kind: 'http-gateway',
      gatewayUrl,
      reason: 'Files dropped or picked in the browser go through the browser (HTTP Gateway).',
      overridden: false,
    };
  }
  return choice;
}

/** The client for this transfer whatever its files. */
function chooseAny({ allowed, desktop, override }: ChooseClientInput): Choice {
  const gateway = allowed.find((c) => c.type === 'http-gateway' && c.url);
  const desktopAllowed = allowed.some((c) => c.type === 'desktop');
  const desktopRuns = desktop?.available === true;
  const viaGateway = (reason: string, overridden = false): ClientChoice => ({
    kind: 'http-gateway',
    gatewayUrl: gateway?.url,
    reason,
    overridden,
  });

  if (override === 'desktop' && desktopAllowed && desktopRuns)
    return { kind: 'desktop', reason: 'You chose IBM Aspera for Desktop.', overridden: true };
  if (override === 'http-gateway' && gateway) return viaGateway('You chose the browser (HTTP Gateway).', true);

  if (desktopAllowed && desktopRuns) {
    return { kind: 'desktop', reason: 'IBM Aspera for Desktop is running: it is faster and can resume.', overridden: false };
  }
  if (gateway) {
    if (!desktopAllowed) return viaGateway('This server allows transfers through the browser only (HTTP Gateway).');
    return viaGateway(
      desktop?.reason ? `${desktop.reason.replace(/\.$/, '')}: using the browser (HTTP Gateway).` : 'Using the browser (HTTP Gateway).',
    );
  }
  if (desktopAllowed) {
    return { kind: null, reason: desktop?.reason ?? 'This transfer needs IBM Aspera for Desktop: install it or launch it.' };
  }
  return { kind: null, reason: 'No transfer client is configured for this server: ask an administrator.' };
}
