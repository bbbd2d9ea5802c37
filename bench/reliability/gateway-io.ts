/** Uploads and downloads against a real node for the reliability tests, with SHA-256 of every byte. */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Agent, fetch } from 'undici';
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
