/**
 * One HTTP exchange with a node: Basic auth, JSON in and out, a deadline over the whole exchange,
 * and every failure turned into a NodeApiError. undici is used (not the global fetch) because TLS
 * verification must be switchable per node and the global fetch takes no dispatcher of ours
 * across undici versions.
 */
import { Agent, type Dispatcher, request } from 'undici';
import { errorOfBody, kindForStatus, NodeApiError } from './node-api-error';

// A node answers a browse of a large folder or a long transfer list within seconds; beyond this the
// portal's own request would hang, so we call the node unavailable instead.
export const DEFAULT_TIMEOUT_MS = 15_000;
// Bound on a response body we hold in memory (a page of /ops/transfers with file lists is the largest).
const MAX_BODY_BYTES = 32 * 1024 * 1024;

// Connections to one node at most; further requests wait in the pool. A node caps connections per
// address (the embedded one at 128 by default, COURIER_NODE_MAX_CONNECTIONS_PER_IP), and the portal is
// one address however many people it serves: unbounded, 200 busy sessions opened more and were refused.
const MAX_CONNECTIONS_PER_NODE = 64;

let verifyingAgent: Agent | undefined;
let trustingAgent: Agent | undefined;
/** Two shared pools, so clients are cheap to create per request and need no closing. */
function agentFor(verifyTls: boolean): Agent {
  if (verifyTls) return (verifyingAgent ??= new Agent({ keepAliveTimeout: 4_000, connections: MAX_CONNECTIONS_PER_NODE }));
  return (trustingAgent ??= new Agent({
    keepAliveTimeout: 4_000,
    connections: MAX_CONNECTIONS_PER_NODE,
    connect: { rejectUnauthorized: false },
  }));
}

export interface TransportOptions {
  baseUrl: string;
  /** Full header value, e.g. `Basic …`; absent for `/ping`, which HSTS answers without credentials (§2). */
  authorization?: string;
  /** More headers on every request (an A3 token's `X-Aspera-AccessKey`). */
  headers?: Record<string, string>;
  verifyTls: boolean;
  timeoutMs?: number;
  /** Strings that must never appear in an error message (the password and the header value). */
  secrets?: string[];
}

export interface NodeResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  url: string;
}

export type Send = (
  method: string,
  path: string,
  options?: { query?: Record<string, string | undefined>; json?: unknown; emptyOk?: boolean; ignoreBody?: boolean },
) => Promise<NodeResponse>;

export function createTransport(options: TransportOptions): Send {
  const base = parseBaseUrl(options.baseUrl);
  // Credentials in the URL would leak into every message that names the node; the header carries them.
  base.username = '';
  base.password = '';
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const redact = (text: string) => (options.secrets ?? []).filter((s) => s.length >= 3).reduce((t, s) => t.split(s).join('***'), text);
  const fail = (
    kind: ConstructorParameters<typeof NodeApiError>[0],
    message: string,
    status: number | null = null,
    nodeMessage: string | null = null,
    code: string | null = null,
  ) => new NodeApiError(kind, redact(message), status, nodeMessage === null ? null : redact(nodeMessage), code);

  return async (method, path, { query, json, emptyOk = false, ignoreBody = false } = {}) => {
    // Node paths are relative to the base so an ATS/AoC path prefix (docs/node-api.md §0) is kept.
    const url = new URL(path.replace(/^\//, ''), base);
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) url.searchParams.set(key, value);
    const operation = `${method} ${url.pathname}`;
    const where = `${operation} on ${base.origin}`;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'courier-node-client' };
    if (options.authorization) headers.authorization = options.authorization;
    Object.assign(headers, options.headers);
    if (json !== undefined) headers['content-type'] = 'application/json';

    const signal = AbortSignal.timeout(timeoutMs);
    let status: number;
    let responseHeaders: NodeResponse['headers'];
    let text: string;
    try {
      const response = await request(url, {
        method: method as Dispatcher.HttpMethod,
        headers,
        body: json === undefined ? undefined : JSON.stringify(json),
        dispatcher: agentFor(options.verifyTls),
        signal,
      });
      status = response.statusCode;
      responseHeaders = response.headers;
      text = await readBounded(response.body, MAX_BODY_BYTES);
    } catch (err) {
      if (err instanceof NodeApiError) throw fail(err.kind, `${where}: ${err.message}`, null, null, err.code);
      const code = errorCode(err);
      const reason = signal.aborted ? `no complete answer within ${timeoutMs} ms` : describeNetworkError(code);
      throw fail('unavailable', `Node unavailable (${where}): ${reason}`, null, null, signal.aborted ? 'TIMEOUT' : code);
    }

    let body: unknown;
    const trimmed = text.trim();
    // `/ping` answers an empty body on HSTS (§2); whatever a 2xx ping says, it answered.
    if (ignoreBody && status >= 200 && status < 300) return { status, body: undefined, headers: responseHeaders, url: url.href };
    if (trimmed !== '') {
      try {
        body = JSON.parse(trimmed);
      } catch {
        // §0: parse by body, not content type. A 5xx HTML page still says "the node failed".
        if (status >= 400) throw fail(kindForStatus(status), `Node answered ${status} with a non-JSON body (${where})`, status);
        throw fail('bad_response', `Node answered ${status} with a body that is not JSON (${where})`, status);
      }
    }

    const nodeError = errorOfBody(body);
    if (status >= 300 || nodeError) {
      // Errors inside a 200 (docs/node-api.md §0, §9) take their status from the body's code; without
      // one the node failed in a way it did not classify, which is the node's error, not ours.
      const effective = status >= 300 ? status : (nodeError?.status ?? status);
      const nodeMessage = nodeError?.message || null;
      const kind = status >= 300 && status < 400 ? 'bad_response' : effective < 400 ? 'node_error' : kindForStatus(effective);
      const detail = nodeMessage ? `: ${nodeMessage}` : '';
      throw fail(kind, `Node answered ${effective} to ${where}${detail}`, effective, nodeMessage);
    }
    if (body === undefined && !emptyOk) throw fail('bad_response', `Node answered ${status} with an empty body (${where})`, status);
    return { status, body, headers: responseHeaders, url: url.href };
  };
}

/** Node's own URL error carries the input (credentials included, if any) in `input`: never rethrow it. */
function parseBaseUrl(value: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below without the value
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new TypeError('The node URL must be an absolute http(s) URL');
  return url;
}

async function readBounded(body: AsyncIterable<Buffer>, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new NodeApiError('bad_response', `answer larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function errorCode(err: unknown): string | null {
  // undici wraps socket errors: the OS or TLS code is on the error or on its cause.
  for (let e: unknown = err, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'UND_ERR_SOCKET') return code;
  }
  return null;
}

function describeNetworkError(code: string | null): string {
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') return 'connection closed by the node';
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return 'connection timed out';
  if (code && /CERT|SSL|TLS|SIGNATURE|ISSUER/.test(code)) return `TLS verification failed (${code})`;
  return code ? `network error (${code})` : 'network error';
}
