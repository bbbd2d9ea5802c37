/** Uploads and downloads against a real node for the reliability tests, with SHA-256 of every byte. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Agent, fetch, request } from 'undici';
import { curlGatewayUpload } from '../lib/tools';

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One file through `POST /v3/upload` with curl; resolves with the HTTP status and the body. */
export async function uploadFile(
  gatewayUrl: string,
  spec: Record<string, unknown>,
  file: string,
  name: string,
  size: number,
  configFile: string,
) {
  try {
    return { status: 200, body: await curlGatewayUpload(gatewayUrl, spec, [{ file, name, size }], configFile) };
  } catch (err) {
    // curl --fail-with-body exits 22 and leaves the body on stdout.
    const e = err as { code?: number; stdout?: string; stderr?: string };
    const status = /returned error: (\d+)/.exec(e.stderr ?? '')?.[1];
    return { status: Number(status ?? 0), body: e.stdout ?? e.stderr ?? String(err) };
  }
}

export { Agent };

/** Streams a download and hashes it, never holding it whole. */
export async function downloadSha256(url: string, dispatcher: Agent): Promise<{ status: number; sha256: string; bytes: number }> {
  const res = await fetch(url, { dispatcher });
  const hash = createHash('sha256');
  let bytes = 0;
  if (res.body) {
    for await (const chunk of res.body) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  }
  return { status: res.status, sha256: hash.digest('hex'), bytes };
}

/**
 * Upload sessions (docs/http-gateway.md §11) as a client sends them: a session for one file, its
 * parts read from disk and sent `parallel` at once, each with its exact `Content-Length`.
 */
export interface SessionClient {
  gatewayUrl: string;
  dispatcher: Agent;
}

export async function openSession(c: SessionClient, spec: Record<string, unknown>, name: string, size: number): Promise<string> {
  const res = await request(`${c.gatewayUrl}/v3/upload-sessions`, {
    method: 'POST',
    dispatcher: c.dispatcher,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_spec: { ...spec, paths: [{ source: name, destination: name }] }, files: [{ size }] }),
  });
  const body = (await res.body.json()) as { session_id?: string };
  if (res.statusCode !== 201 || !body.session_id) throw new Error(`session → ${res.statusCode} ${JSON.stringify(body)}`);
  return body.session_id;
}

/** The ranges of the session's one file the node holds (§11.3). */
export async function heldRanges(c: SessionClient, id: string): Promise<[number, number][]> {
  const res = await request(`${c.gatewayUrl}/v3/upload-sessions/${id}`, { dispatcher: c.dispatcher });
  const body = (await res.body.json()) as { files?: { received: [number, number][] }[] };
  if (res.statusCode !== 200) throw new Error(`status → ${res.statusCode} ${JSON.stringify(body)}`);
  return body.files?.[0]?.received ?? [];
}

/** Sends `[start, end)` of `file` in parts of `partBytes`, `parallel` at once; resolves with each part's status. */
export async function sendParts(
  c: SessionClient,
  id: string,
  file: string,
  ranges: readonly (readonly [number, number])[],
  partBytes: number,
  parallel: number,
): Promise<number[]> {
  const parts: [number, number][] = [];
  for (const [start, end] of ranges) for (let at = start; at < end; at += partBytes) parts.push([at, Math.min(end, at + partBytes)]);
  const statuses: number[] = [];
  let next = 0;
  const lane = async () => {
    for (let k = next++; k < parts.length; k = next++) {
      const [start, end] = parts[k] as [number, number];
      const res = await request(`${c.gatewayUrl}/v3/upload-sessions/${id}/files/0`, {
        method: 'PATCH',
        dispatcher: c.dispatcher,
        headers: {
          'content-type': 'application/offset+octet-stream',
          'upload-offset': String(start),
          'content-length': String(end - start),
        },
        body: createReadStream(file, { start, end: end - 1, highWaterMark: 1024 * 1024 }),
      });
      await res.body.dump();
      statuses[k] = res.statusCode;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, parts.length) }, lane));
  return statuses;
}

/** Completes the session with the file's size and SHA-256; resolves with the status and body. */
export async function completeSession(c: SessionClient, id: string, size: number, sha256: string) {
  const res = await request(`${c.gatewayUrl}/v3/upload-sessions/${id}/complete`, {
    method: 'POST',
    dispatcher: c.dispatcher,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ files: [{ size, sha256 }] }),
  });
  return { status: res.statusCode, body: await res.body.text() };
}

/** The missing parts of `[0, size)` given the ranges held. */
export function missing(held: readonly (readonly [number, number])[], size: number): [number, number][] {
  const out: [number, number][] = [];
  let at = 0;
  for (const [s, e] of held) {
    if (s > at) out.push([at, s]);
    at = Math.max(at, e);
  }
  if (at < size) out.push([at, size]);
  return out;
}
