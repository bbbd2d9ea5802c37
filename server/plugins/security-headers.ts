import type { FastifyInstance } from 'fastify';

/** Headers every response carries; the SPA's index.html adds its Content-Security-Policy. */
export function registerSecurityHeaders(app: FastifyInstance, options: { strictTransportSecurity: boolean }): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'same-origin');
    reply.header('x-frame-options', 'DENY');
    reply.header('cross-origin-opener-policy', 'same-origin');
    // Only when people reach the portal over HTTPS (its public URL says so): browsers then refuse
    // plain HTTP to this host for a year. Not includeSubDomains: other services may share the domain.
    if (options.strictTransportSecurity) reply.header('strict-transport-security', 'max-age=31536000');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });
}
