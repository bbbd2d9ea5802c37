import { describe, expect, it } from 'vitest';
import { uploadSessionPartMax } from './gateway-info';

const answering = (status: number, body: unknown) =>
  (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;

describe('uploadSessionPartMax', () => {
  it('reads the largest part from the gateway info, and asks the normalised /info without credentials', async () => {
    const asked: [string, RequestInit | undefined][] = [];
    const doFetch = (async (input: string, init?: RequestInit) => {
      asked.push([input, init]);
      return Response.json({ version: '3.0.0', courier_upload_sessions: { version: 1, path: '/v3/upload-sessions', part_size_max: 1024 } });
    }) as unknown as typeof fetch;
    expect(await uploadSessionPartMax(' gw.example.com/aspera/http-gwy/ ', doFetch)).toBe(1024);
    expect(asked[0]?.[0]).toBe('https://gw.example.com/aspera/http-gwy/info');
    expect(asked[0]?.[1]?.credentials).toBe('omit');
  });

  it('is null for a gateway without sessions, another version of them, a bad answer or none', async () => {
    expect(await uploadSessionPartMax('http://gw', answering(200, { version: '3.0.0' }))).toBeNull();
    expect(
      await uploadSessionPartMax('http://gw', answering(200, { courier_upload_sessions: { version: 2, part_size_max: 1024 } })),
    ).toBeNull();
    expect(
      await uploadSessionPartMax('http://gw', answering(200, { courier_upload_sessions: { version: 1, part_size_max: '1024' } })),
    ).toBeNull();
    expect(
      await uploadSessionPartMax('http://gw', answering(200, { courier_upload_sessions: { version: 1, part_size_max: 0 } })),
    ).toBeNull();
    expect(
      await uploadSessionPartMax('http://gw', answering(503, { courier_upload_sessions: { version: 1, part_size_max: 1024 } })),
    ).toBeNull();
    const broken = (async () => new Response('<html>', { status: 200 })) as unknown as typeof fetch;
    expect(await uploadSessionPartMax('http://gw', broken)).toBeNull();
    const down = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await uploadSessionPartMax('http://gw', down)).toBeNull();
  });
});
