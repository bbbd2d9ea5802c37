import { describe, expect, it } from 'vitest';
import { gatewayHttpError, gatewayNetworkError } from './gateway-error';

// Cases Stryker showed no test covered (docs/reliability.md): what a person reads when the
// gateway, or a proxy in front of it, refuses a transfer.
describe('gatewayHttpError', () => {
  it("shows the gateway's own message or description, trimmed", () => {
    expect(gatewayHttpError(507, JSON.stringify({ message: '  Quota exceeded  ', code: 'x' }), 'upload')).toEqual({
      code: 'TRANSFER_FAILED',
      message: 'Quota exceeded',
    });
    expect(gatewayHttpError(400, JSON.stringify({ description: 'Bad spec' }), 'download')).toEqual({
      code: 'BAD_REQUEST',
      message: 'Bad spec',
    });
  });

  it('falls back to a message for the status when the JSON has no usable text', () => {
    const fallback = gatewayHttpError(500, '', 'upload').message;
    expect(gatewayHttpError(500, JSON.stringify({ message: '   ' }), 'upload').message).toBe(fallback);
    expect(gatewayHttpError(500, JSON.stringify({ message: 42 }), 'upload').message).toBe(fallback);
    expect(fallback).toContain('500');
    expect(fallback).toContain('upload');
  });

  it("shows a proxy's first text line, but not HTML nor an overlong line", () => {
    expect(gatewayHttpError(502, '\n  Proxy error: upstream down\nmore detail', 'download').message).toBe('Proxy error: upstream down');
    expect(gatewayHttpError(502, '<html><body>Bad gateway</body></html>', 'download').message).toContain('502');
    expect(gatewayHttpError(502, 'y'.repeat(200), 'download').message).toBe('y'.repeat(200));
    expect(gatewayHttpError(502, 'z'.repeat(201), 'download').message).toContain('502');
  });

  it('says what each refusal means for the action at hand', () => {
    const message = (status: number, action: 'upload' | 'download') => gatewayHttpError(status, '<html/>', action).message;
    expect(message(401, 'download')).toMatch(/authorization.*start the download again/);
    expect(message(403, 'upload')).toMatch(/not allowed to upload/);
    expect(message(404, 'download')).toMatch(/file no longer exists/);
    expect(message(404, 'upload')).toMatch(/destination folder no longer exists/);
    expect(message(413, 'upload')).toMatch(/larger than the gateway accepts/);
    expect(new Set([401, 403, 404, 413, 500].map((status) => message(status, 'upload'))).size).toBe(5);
  });

  it('names the action when the gateway cannot be reached', () => {
    expect(gatewayNetworkError('upload')).toMatchObject({ code: 'NETWORK_ERROR', message: expect.stringContaining('during the upload') });
  });
});
