import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { grantCovers, TransferTokens } from './transfer-token';

const key = randomBytes(32);
const tokens = new TransferTokens(key, 'xfer');
const exp = Math.floor(Date.now() / 1000) + 60;
const download = tokens.mint({ direction: 'receive', user: 'xfer', exp, paths: ['/Outbox/a.txt', '/Shared'] });
const uploadToken = tokens.mint({ direction: 'send', user: 'xfer', exp, destinationRoot: '/Upload', grant: 'g-1', replace: false });

describe('transfer tokens (AES-256-GCM)', () => {
  it('round-trips a grant and has the ATM…MTA family shape', () => {
    expect(download).toMatch(/^ATC1_[A-Za-z0-9_-]+_1CTA$/);
    expect(tokens.verify(download, 'receive')).toMatchObject({ paths: ['/Outbox/a.txt', '/Shared'] });
    expect(tokens.verify('Bearer ' + uploadToken, 'send')).toMatchObject({ destinationRoot: '/Upload' });
  });

  it('does not reveal the grant in clear text', () => {
    expect(Buffer.from(download.slice(5, -5), 'base64url').toString('latin1')).not.toContain('Outbox');
  });

  it('refuses tampered, expired, foreign, wrong-direction and wrong-user tokens with clear errors', () => {
    const body = download.slice(5, -5);
    const flipped = body.slice(0, 40) + (body[40] === 'A' ? 'B' : 'A') + body.slice(41);
    expect(() => tokens.verify(`ATC1_${flipped}_1CTA`, 'receive')).toThrow(/tampered/);
    const expired = tokens.mint({ direction: 'receive', user: 'xfer', exp: Math.floor(Date.now() / 1000) - 1, paths: ['/a'] });
    expect(() => tokens.verify(expired, 'receive')).toThrow(/expired/);
    const foreign = new TransferTokens(randomBytes(32), 'xfer').mint({ direction: 'receive', user: 'xfer', exp, paths: ['/a'] });
    expect(() => tokens.verify(foreign, 'receive')).toThrow(/another node/);
    expect(() => tokens.verify(download, 'send')).toThrow(/download token cannot be used to upload/);
    expect(() => tokens.verify(uploadToken, 'receive')).toThrow(/upload token cannot be used to download/);
    const otherUser = new TransferTokens(key, 'alice').mint({ direction: 'receive', user: 'alice', exp, paths: ['/a'] });
    expect(() => tokens.verify(otherUser, 'receive')).toThrow(/another transfer user/);
    expect(() => tokens.verify('', 'receive')).toThrow(/required/);
    expect(() => tokens.verify('ATM2_abc_2MTA', 'receive')).toThrow(/not a transfer token/);
  });

  it('covers a granted path and what is below it, nothing else', () => {
    const grant = tokens.verify(download, 'receive');
    expect(grantCovers(grant, '/Outbox/a.txt')).toBe(true);
    expect(grantCovers(grant, '/Shared/deep/file')).toBe(true);
    expect(grantCovers(grant, '/Outbox/b.txt')).toBe(false);
    expect(grantCovers(grant, '/Shared2')).toBe(false);
    expect(grantCovers(grant, '/Outbox')).toBe(false);
  });
});
