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
}

/**
 * Desktop when it runs and the portal allows it for this transfer (faster, resumable, real local
 * paths), else the HTTP Gateway. `null` when no allowed client can carry it, with the reason.
 */
export function chooseClient({ allowed, desktop, override }: ChooseClientInput): ClientChoice | { kind: null; reason: string } {
  const gateway = allowed.find((c) => c.type === 'http-gateway' && c.url);
  const desktopAllowed = allowed.some((c) => c.type === 'desktop');
  const desktopRuns = desktop?.available === true;
  const viaGateway = (reason: string, overridden = false): ClientChoice => ({ kind: 'http-gateway', gatewayUrl: gateway?.url, reason, overridden });

  if (override === 'desktop' && desktopAllowed && desktopRuns) return { kind: 'desktop', reason: 'You chose IBM Aspera for Desktop.', overridden: true };
  if (override === 'http-gateway' && gateway) return viaGateway('You chose the browser (HTTP Gateway).', true);

  if (desktopAllowed && desktopRuns) {
    return { kind: 'desktop', reason: 'IBM Aspera for Desktop is running: it is faster and can resume.', overridden: false };
  }
  if (gateway) {
    if (!desktopAllowed) return viaGateway('This server allows transfers through the browser only (HTTP Gateway).');
    return viaGateway(desktop?.reason ? `${desktop.reason.replace(/\.$/, '')}: using the browser (HTTP Gateway).` : 'Using the browser (HTTP Gateway).');
  }
  if (desktopAllowed) {
    return { kind: null, reason: desktop?.reason ?? 'This transfer needs IBM Aspera for Desktop: install it or launch it.' };
  }
  return { kind: null, reason: 'No transfer client is configured for this server: ask an administrator.' };
}
