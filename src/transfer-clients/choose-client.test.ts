import { describe, expect, it } from 'vitest';
import { chooseClient } from './choose-client';

const GW = { type: 'http-gateway' as const, url: 'http://127.0.0.1:9092/aspera/http-gwy' };
const DESKTOP = { type: 'desktop' as const };

describe('chooseClient', () => {
  it('prefers Desktop when it runs and the portal allows it', () => {
    expect(chooseClient({ allowed: [GW, DESKTOP], desktop: { available: true } })).toMatchObject({
      kind: 'desktop',
      overridden: false,
      reason: expect.stringMatching(/running/),
    });
  });

  it('falls back to the gateway with the reason Desktop is not there', () => {
    const choice = chooseClient({ allowed: [DESKTOP, GW], desktop: { available: false, reason: 'IBM Aspera for Desktop was closed.' } });
    expect(choice).toEqual({
      kind: 'http-gateway',
      gatewayUrl: GW.url,
      overridden: false,
      reason: 'IBM Aspera for Desktop was closed: using the browser (HTTP Gateway).',
    });
    expect(chooseClient({ allowed: [GW, DESKTOP] })).toMatchObject({ kind: 'http-gateway' });
  });

  it('uses the gateway when the portal does not allow Desktop for this transfer, even if it runs', () => {
    expect(chooseClient({ allowed: [GW], desktop: { available: true } })).toMatchObject({
      kind: 'http-gateway',
      reason: expect.stringMatching(/browser only/),
    });
  });

  it('honours an override only when allowed and available', () => {
    expect(chooseClient({ allowed: [GW, DESKTOP], desktop: { available: true }, override: 'http-gateway' })).toMatchObject({
      kind: 'http-gateway',
      overridden: true,
    });
    expect(chooseClient({ allowed: [GW, DESKTOP], desktop: { available: false }, override: 'desktop' })).toMatchObject({
      kind: 'http-gateway',
      overridden: false,
    });
    expect(chooseClient({ allowed: [GW], desktop: { available: true }, override: 'desktop' })).toMatchObject({
      kind: 'http-gateway',
      overridden: false,
    });
  });

  it('says why nothing can carry it', () => {
    expect(chooseClient({ allowed: [DESKTOP], desktop: { available: false, reason: 'IBM Aspera for Desktop was not found.' } })).toEqual({
      kind: null,
      reason: 'IBM Aspera for Desktop was not found.',
    });
    expect(chooseClient({ allowed: [] })).toMatchObject({ kind: null, reason: expect.stringMatching(/administrator/) });
    expect(chooseClient({ allowed: [{ type: 'http-gateway' }] })).toMatchObject({ kind: null });
  });

  it('sends files the browser read through the gateway, and Desktop-picked files only through Desktop', () => {
    const running = { available: true };
    expect(chooseClient({ allowed: [DESKTOP, GW], desktop: running, files: 'browser' })).toEqual({
      kind: 'http-gateway',
      gatewayUrl: GW.url,
      overridden: false,
      reason: 'Files dropped or picked in the browser go through the browser (HTTP Gateway).',
    });
    expect(chooseClient({ allowed: [DESKTOP], desktop: running, files: 'browser' })).toMatchObject({
      kind: null,
      reason: expect.stringMatching(/need the HTTP Gateway/),
    });
    expect(chooseClient({ allowed: [DESKTOP, GW], desktop: running, files: 'local' })).toMatchObject({ kind: 'desktop' });
    expect(chooseClient({ allowed: [DESKTOP, GW], desktop: { available: false }, files: 'local' })).toMatchObject({
      kind: null,
      reason: expect.stringMatching(/choose them again/),
    });
    expect(chooseClient({ allowed: [GW], desktop: running, files: 'local' })).toMatchObject({
      kind: null,
      reason: expect.stringMatching(/through the browser only/),
    });
    expect(chooseClient({ allowed: [], files: 'browser' })).toMatchObject({ kind: null, reason: expect.stringMatching(/administrator/) });
  });
});
