/**
 * A recording stand-in for an HSTS Node API on 127.0.0.1: it replays the answers a test scripts
 * (recorded shapes from docs/node-api.md, see hsts-responses.ts) and records every request,
 * so tests can assert exactly what the client sent over real HTTP.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedAnswer {
  status?: number;
  headers?: Record<string, string | string[]>;
  /** An object is sent as JSON; a string is sent verbatim (HTML pages, truncated JSON). */
  body?: unknown;
  /** Never answer (a hung node). */
  hang?: boolean;
  /** Send the headers and part of the body, then stall (a node that dies mid-answer). */
  stallAfterHeaders?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** Parsed JSON when the body was JSON, the raw text otherwise, undefined when empty. */
  body: unknown;
}

type Script = ScriptedAnswer | ScriptedAnswer[] | ((request: RecordedRequest) => ScriptedAnswer);

export interface RecordingNode {
  url: string;
  requests: RecordedRequest[];
  /** Scripts `METHOD /path`; an array is replayed in order, its last answer repeating. */
  answer(route: string, script: Script): void;
  close(): Promise<void>;
}

export async function startRecordingNode(): Promise<RecordingNode> {
  const scripts = new Map<string, { script: Script; served: number }>();
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://node');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text === '' ? undefined : text;
      try {
        if (text !== '') body = JSON.parse(text);
      } catch {
        // kept as text
      }
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      };
      requests.push(recorded);
      const entry = scripts.get(`${recorded.method} ${recorded.path}`);
      const answer = entry
        ? pick(entry, recorded)
        : { status: 404, body: { error: { code: 404, reason: 'Not Found', user_message: 'No script' } } };
      if (answer.hang) return;
      const payload = typeof answer.body === 'string' ? answer.body : answer.body === undefined ? '' : JSON.stringify(answer.body);
      const isJson = answer.body !== undefined && typeof answer.body !== 'string';
      res.writeHead(answer.status ?? 200, { ...(isJson ? { 'content-type': 'application/json' } : {}), ...answer.headers });
      if (answer.stallAfterHeaders) {
        res.write(payload.slice(0, Math.max(1, Math.floor(payload.length / 2))));
        return;
      }
      res.end(payload);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(route, script) {
      scripts.set(route, { script, served: 0 });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function pick(entry: { script: Script; served: number }, request: RecordedRequest): ScriptedAnswer {
  const { script } = entry;
  if (typeof script === 'function') return script(request);
  if (!Array.isArray(script)) return script;
  const answer = script[Math.min(entry.served, script.length - 1)] ?? {};
  entry.served++;
  return answer;
}
