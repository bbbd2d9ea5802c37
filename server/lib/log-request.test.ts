import { describe, expect, it } from 'vitest';
import { redactLinkSecrets } from './log-request';

const SECRET = 'bIzD9YGoX3HGwxp3lP_z5yMPHiFfmPHpucqyaQ2kLm0';

describe('redactLinkSecrets', () => {
  it.each([
    [`/api/public/packages/${SECRET}`, '/api/public/packages/[link]'],
    [`/api/public/packages/${SECRET}/unlock`, '/api/public/packages/[link]/unlock'],
    [`/api/public/shares/${SECRET}/files?path=%2F`, '/api/public/shares/[link]/files?path=%2F'],
    [`/api/public/requests/${SECRET}/submissions`, '/api/public/requests/[link]/submissions'],
    [`/p/${SECRET}`, '/p/[link]'],
    [`/s/${SECRET}?from=mail`, '/s/[link]?from=mail'],
    [`/r/${SECRET}`, '/r/[link]'],
  ])('keeps the secret of %s out', (url, logged) => {
    expect(redactLinkSecrets(url)).toBe(logged);
  });

  it.each([
    '/api/packages/8d1e6c4a-1f0e-4c5e-9a63-2f1d8c7b6a50',
    '/api/public/shares',
    '/sent',
    '/spaces/abc',
    '/api/shares/abc',
    '/assets/p/x.js',
  ])('leaves %s as it is', (url) => {
    expect(redactLinkSecrets(url)).toBe(url);
  });
});
