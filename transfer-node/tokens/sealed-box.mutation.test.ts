import { createHash, randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { SealedBox } from './sealed-box';

const key = randomBytes(32);
const keyId = createHash('sha256').update(key).digest().subarray(0, 8);
const refused = (message: string) => expect.objectContaining({ status: 401, message });

// Cases Stryker found untested (docs/reliability.md): each refusal of a token the node cannot
// trust, told apart by its reason. Boxes are made inside the tests: a mutant that throws while a
// test file is imported leaves it without results, which Stryker's Vitest runner counts as survived.
describe('SealedBox', () => {
  let box: SealedBox;
  beforeEach(() => {
    box = new SealedBox(key, 'transfer-token');
  });

  it('needs a 32-byte key', () => {
    expect(() => new SealedBox(randomBytes(16), 'x')).toThrow('32-byte key');
  });

  it('opens the smallest payload it seals, and text outside ASCII', () => {
    expect(box.open(box.seal({}))).toEqual({});
    expect(box.open(box.seal({ path: '/été/名前' }))).toEqual({ path: '/été/名前' });
  });

  it('refuses characters outside base64url anywhere in the token', () => {
    const token = box.seal({ a: 1 });
    for (const bad of [`!${token}`, `${token}!`, `${token}.x`, `${token.slice(0, 10)}+${token.slice(10)}`, '']) {
      expect(() => box.open(bad)).toThrow(refused('Token is malformed'));
    }
  });

  it('refuses a token too short to hold a sealed payload before trying to open it', () => {
    const short = Buffer.concat([keyId, Buffer.alloc(29)]).toString('base64url');
    expect(() => box.open(short)).toThrow(refused('Token is malformed'));
  });

  it("tells another node's token from a tampered one", () => {
    const other = new SealedBox(randomBytes(32), 'transfer-token').seal({ a: 1 });
    expect(() => box.open(other)).toThrow(refused('Token was issued by another node'));
    const raw = Buffer.from(box.seal({ a: 1 }), 'base64url');
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(raw.toString('base64url'))).toThrow(refused('Token is invalid or has been tampered with'));
    expect(() => new SealedBox(key, 'other-purpose').open(box.seal({ a: 1 }))).toThrow(
      refused('Token is invalid or has been tampered with'),
    );
  });
});
