import type { SdkStatus } from './sdk-types';

export type SdkState = 'loading' | 'running' | 'degraded' | 'failed' | 'disconnected' | 'unavailable';

/** §4: what each SDK status means for a person who wants Desktop to carry their transfer. */
export function availabilityFor(status: SdkStatus): { available: boolean; state: SdkState; sdkStatus: SdkStatus; reason?: string } {
  switch (status) {
    case 'RUNNING':
      return { available: true, state: 'running', sdkStatus: status };
    case 'INITIALIZING':
    case 'RETRYING':
      return { available: false, state: 'loading', sdkStatus: status, reason: 'Looking for IBM Aspera for Desktop…' };
    case 'DEGRADED':
      return {
        available: false,
        state: 'degraded',
        sdkStatus: status,
        reason: 'IBM Aspera for Desktop is not running: transfers go through the HTTP Gateway. Launch Desktop for faster transfers.',
      };
    case 'DISCONNECTED':
      return {
        available: false,
        state: 'disconnected',
        sdkStatus: status,
        reason: 'IBM Aspera for Desktop was closed: launch it again to continue.',
      };
    case 'OUTDATED':
      return {
        available: false,
        state: 'failed',
        sdkStatus: status,
        reason: 'The installed IBM Aspera client is too old: install the latest version.',
      };
    case 'EXTENSION_INSTALL':
      return { available: false, state: 'failed', sdkStatus: status, reason: 'The IBM Aspera browser extension is missing: install it.' };
    case 'FAILED':
    default:
      return {
        available: false,
        state: 'failed',
        sdkStatus: status,
        reason: 'IBM Aspera for Desktop was not found: install it or launch it. This page notices when it starts.',
      };
  }
}
