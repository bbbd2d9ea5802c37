import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { SealedBox } from './sealed-box';
import { grantCovers, TransferTokens } from './transfer-token';

const key = randomBytes(32);
const exp = 2_000_000_000;
const refused = (message: string) => expect.objectContaining({ status: 401, message });

// Cases Stryker found untested (docs/reliability.md). Tokens are made inside the tests: a mutant
// that throws while a test file is imported leaves it without results, which Stryker's Vitest
// runner counts as survived.
describe('transfer token edges', () => {
  let tokens: TransferTokens;
  let download: string;
  beforeEach(() => {
    tokens = new TransferTokens(key, 'xfer');
    download = tokens.mint({ direction: 'receive', user: 'xfer', exp, paths: ['/Outbox/a.txt'] });
  });

  it('requires a token, and takes the Authorization form only as a prefix', () => {
    expect(() => tokens.verify('', 'receive', 0)).toThrow(refused('A transfer token is required'));
    expect(() => tokens.verify(42, 'receive', 0)).toThrow(refused('A transfer token is required'));
    expect(tokens.verify('token   ' + download, 'receive', 0)).toMatchObject({ paths: ['/Outbox/a.txt'] });
    expect(() => tokens.verify('Bearer' + download, 'receive', 0)).toThrow(refused('Token is not a transfer token of this node'));
    expect(() => tokens.verify('x Bearer ' + download, 'receive', 0)).toThrow(refused('Token is not a transfer token of this node'));
  });

  it('wants both the ATC1_ prefix and the _1CTA suffix', () => {
    expect(() => tokens.verify(download.slice(0, -5), 'receive', 0)).toThrow(refused('Token is not a transfer token of this node'));
    expect(() => tokens.verify(download.slice(5), 'receive', 0)).toThrow(refused('Token is not a transfer token of this node'));
  });

  it('refuses a token over 64 KiB before opening it', () => {
    const huge = `ATC1_${'A'.repeat(64 * 1024 - 10)}_1CTA`;
    expect(() => tokens.verify(huge, 'receive', 0)).toThrow(refused('Token was issued by another node'));
    expect(() => tokens.verify(`ATC1_${'A'.repeat(64 * 1024 - 9)}_1CTA`, 'receive', 0)).toThrow(
      refused('Token is not a transfer token of this node'),
    );
  });

  it('refuses a well-sealed payload that is not a grant', () => {
    const notAGrant = 'ATC1_' + new SealedBox(key, 'courier-transfer-token-v1').seal({ direction: 'receive' }) + '_1CTA';
    expect(() => tokens.verify(notAGrant, 'receive', 0)).toThrow(refused('Token is invalid or has been tampered with'));
  });

  it('expires at exp exactly, not a second later', () => {
    expect(tokens.verify(download, 'receive', exp * 1000 - 1)).toMatchObject({ exp });
    expect(() => tokens.verify(download, 'receive', exp * 1000)).toThrow(refused('Token has expired'));
  });

  it('covers the upload destination for a send grant, and the listed paths for a receive grant', () => {
    const send = { direction: 'send' as const, user: 'xfer', exp, destinationRoot: '/Inbox', grant: 'g', replace: false };
    expect(grantCovers(send, '/Inbox/x')).toBe(true);
    expect(grantCovers(send, '/Outbox/a.txt')).toBe(false);
    const receive = { direction: 'receive' as const, user: 'xfer', exp, paths: ['/Outbox/a.txt'] };
    expect(grantCovers(receive, '/Outbox/a.txt')).toBe(true);
    expect(grantCovers(receive, '/Inbox/x')).toBe(false);
  });
});

// open(): which transfer a refused request was for (an expired token is still this node's).
describe('opening a token only to name its transfer', () => {
  const tokens = () => new TransferTokens(key, 'xfer');

  it("gives the grant of this node's token, expired or not, with or without the Authorization prefix", () => {
    const t = tokens();
    const expired = t.mint({ direction: 'send', user: 'xfer', exp: 1, destinationRoot: '/In', grant: 'g1', replace: false });
    expect(t.open(expired)).toMatchObject({ direction: 'send', exp: 1, destinationRoot: '/In', grant: 'g1' });
    expect(t.open(`Bearer ${expired}`)).toMatchObject({ direction: 'send', grant: 'g1' });
    expect(t.open(`token\t${expired}`)).toMatchObject({ direction: 'send' });
  });

  it('gives nothing for what this node did not seal, whole and unaltered', () => {
    const t = tokens();
    const good = t.mint({ direction: 'receive', user: 'xfer', exp, paths: ['/Out/a.txt'] });
    expect(t.open(42)).toBeNull();
    expect(t.open('')).toBeNull();
    expect(t.open('Bearer')).toBeNull();
    expect(t.open(`x Bearer ${good}`)).toBeNull();
    expect(t.open(good.slice(0, -5))).toBeNull();
    expect(t.open(good.slice(5))).toBeNull();
    expect(t.open(`ATC1_${'A'.repeat(64 * 1024)}_1CTA`)).toBeNull();
    expect(t.open(good.slice(0, 20) + (good[20] === 'A' ? 'B' : 'A') + good.slice(21))).toBeNull();
    expect(new TransferTokens(randomBytes(32), 'xfer').open(good)).toBeNull();
    // Sealed by this node's box, but not a grant.
    expect(t.open(`ATC1_${new SealedBox(key, 'xfer').seal({ not: 'a grant' })}_1CTA`)).toBeNull();
  });
});
