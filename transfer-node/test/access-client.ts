/** Requests to a test node under other credentials than the node user's: an access key, a bearer token. */
import type { TestNode } from './node-harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export function basic(user: string, secret: string): Record<string, string> {
  return { authorization: 'Basic ' + Buffer.from(`${user}:${secret}`).toString('base64') };
}

export interface Answer {
  status: number;
  body: Json;
  headers: Headers;
}

/** One Node API request with `headers` as the credentials; a JSON body when `body` is given. */
export async function call(t: TestNode, headers: Record<string, string>, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(t.node.url + path, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
}

/** Creates an access key as the node user on `path`; answers its id and secret. */
export async function createKey(
  t: TestNode,
  path: string,
  extra: Record<string, unknown> = {},
): Promise<{ id: string; secret: string; body: Json }> {
  const res = await call(t, { authorization: t.auth }, 'POST', '/access_keys', { storage: { type: 'local', path }, ...extra });
  if (res.status !== 200) throw new Error(`POST /access_keys → ${res.status} ${JSON.stringify(res.body)}`);
  return { id: res.body.id, secret: res.body.secret, body: res.body };
}
