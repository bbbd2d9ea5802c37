import { describe, expect, it } from 'vitest';
import { createTestApp } from '../test/test-app';
import { DIALECTS } from '../test/test-database';

describe.each(DIALECTS)('security headers on %s', (dialect) => {
  it.each([
    ['https://courier.example.com', 'max-age=31536000'],
    ['http://courier.internal:8080', undefined],
  ])('with public URL %s, Strict-Transport-Security is %s', async (publicUrl, expected) => {
    const t = await createTestApp(dialect, { COURIER_PUBLIC_URL: publicUrl });
    try {
      for (const url of ['/api/session', '/api/health']) {
        const response = await t.app.inject({ method: 'GET', url });
        expect(response.headers['strict-transport-security']).toBe(expected);
      }
    } finally {
      await t.close();
    }
  });
});
