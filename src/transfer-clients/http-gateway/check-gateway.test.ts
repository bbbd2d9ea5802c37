import { describe, expect, it } from 'vitest';
import { checkGateway } from './check-gateway';

const answer =
  (body: unknown, status = 200) =>
  async () =>
    new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

describe('checkGateway', () => {
  it('accepts a v3 gateway and explains every other answer', async () => {
    expect(await checkGateway('gw.example/aspera/http-gwy/', answer({ version: '3.1.0' }))).toEqual({ available: true });
    expect(await checkGateway('https://gw', answer({ version: '2.3.0' }))).toMatchObject({
      available: false,
      reason: expect.stringMatching(/version 2.3.0/),
    });
    expect(await checkGateway('https://gw', answer('<html>', 200))).toMatchObject({
      available: false,
      reason: expect.stringMatching(/does not answer like/),
    });
    expect(await checkGateway('https://gw', answer({}, 502))).toMatchObject({
      available: false,
      reason: expect.stringMatching(/answered 502/),
    });
    expect(await checkGateway('https://gw', async () => Promise.reject(new TypeError('Failed to fetch')))).toMatchObject({
      available: false,
      reason: expect.stringMatching(/cannot be reached/),
    });
  });
});
