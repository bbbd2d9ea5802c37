/** curl, dd and wrk as the benchmarks drive them; every call bounded by a timeout. */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { uploadSpecField } from '../../test-kit/gateway-upload';

const run = promisify(execFile);
// The largest default transfer is 1 GiB; ten minutes is a stall, not a slow disk.
const TOOL_TIMEOUT_MS = 10 * 60_000;

export interface Timed<T> {
  seconds: number;
  value: T;
}

export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const started = performance.now();
  const value = await work();
  return { seconds: (performance.now() - started) / 1000, value };
}

/** `curl -o /dev/null`: fails on any HTTP error, returns the bytes received. */
/** A GET by curl to /dev/null; `range` (`1-`) asks for part of the file, as a resumed download does. */
export async function curlDownload(url: string, range?: string): Promise<number> {
  const args = ['-sS', '--fail', '-o', '/dev/null', '-w', '%{size_download}', ...(range ? ['-r', range] : []), url];
  const { stdout } = await run('curl', args, { timeout: TOOL_TIMEOUT_MS });
  return Number(stdout);
}

export interface UploadPart {
  file: string;
  name: string;
  size: number;
}

/**
 * A v3 gateway upload as the SDK builds it (test-kit/gateway-upload.ts), sent by curl, the client
 * measured here: `x-aspera-spec`, then a `Content-Length` + `file` pair per file. The parts go
 * through a curl config file so that 10,000 files do not meet the argument length limit.
 */
export async function curlGatewayUpload(
  gatewayUrl: string,
  spec: Record<string, unknown>,
  parts: UploadPart[],
  configFile: string,
): Promise<string> {
  const specFile = `${configFile}.spec.json`;
  writeFileSync(
    specFile,
    uploadSpecField(
      spec,
      parts.map((p) => p.name),
    ),
  );
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lines = [`form = ${quote(`x-aspera-spec=<${specFile}`)}`];
  for (const part of parts) {
    lines.push(`form = ${quote(`Content-Length=${part.size}`)}`);
    lines.push(`form = ${quote(`file=@${part.file};filename=${part.name};type=application/octet-stream`)}`);
  }
  writeFileSync(configFile, lines.join('\n') + '\n');
  const { stdout } = await run('curl', ['-sS', '--fail-with-body', '-K', configFile, `${gatewayUrl}/v3/upload`], {
    timeout: TOOL_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout;
}

/** One file cut into part files of `partSize` bytes (`split`), for curl to send as session parts. */
export async function splitParts(file: string, partSize: number, dir: string): Promise<Array<{ file: string; offset: number }>> {
  mkdirSync(dir, { recursive: true });
  await run('split', ['-b', String(partSize), '-d', '-a', '5', file, path.join(dir, 'p')], { timeout: TOOL_TIMEOUT_MS });
  return readdirSync(dir)
    .sort()
    .map((name, k) => ({ file: path.join(dir, name), offset: k * partSize }));
}

/**
 * An upload session for one file (docs/http-gateway.md §11), created with the spec: where its
 * parts go, and its completion. The curl references below send the parts between the two.
 */
async function openUploadSession(
  gatewayUrl: string,
  spec: Record<string, unknown>,
  file: { name: string; size: number },
): Promise<{ fileUrl: string; complete: () => Promise<void> }> {
  const url = `${gatewayUrl}/v3/upload-sessions`;
  const created = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      transfer_spec: { ...spec, paths: [{ source: file.name, destination: file.name }] },
      files: [{ size: file.size }],
    }),
  });
  if (created.status !== 201) throw new Error(`upload session: ${created.status} ${await created.text()}`);
  const { session_id: id } = (await created.json()) as { session_id: string };
  return {
    fileUrl: `${url}/${id}/files/0`,
    complete: async () => {
      const done = await fetch(`${url}/${id}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ files: [{ size: file.size }] }),
      });
      if (!done.ok) throw new Error(`upload session completion: ${done.status} ${await done.text()}`);
    },
  };
}

/**
 * The reference for the SPA's session upload: an upload session (docs/http-gateway.md §11) created
 * with the spec, then the same parts sent by `parallel` curl processes, each a keep-alive
 * connection taking the next part as the SPA's lanes do, then completion.
 */
export async function curlSessionParts(
  gatewayUrl: string,
  spec: Record<string, unknown>,
  file: { name: string; size: number },
  parts: Array<{ file: string; offset: number }>,
  parallel: number,
  configDir: string,
): Promise<void> {
  const session = await openUploadSession(gatewayUrl, spec, file);
  const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const lanes = Array.from({ length: Math.min(parallel, parts.length) }, (_, lane) =>
    parts
      .filter((_p, k) => k % parallel === lane)
      .map((p) =>
        [
          `url = ${quote(session.fileUrl)}`,
          `upload-file = ${quote(p.file)}`,
          'request = "PATCH"',
          'header = "Content-Type: application/offset+octet-stream"',
          `header = "Upload-Offset: ${p.offset}"`,
          // No 100-continue round trip per part: the SPA's XHRs send the body at once.
          'header = "Expect:"',
          'fail-with-body',
          'silent',
          'show-error',
          'output = "/dev/null"',
        ].join('\n'),
      )
      .join('\nnext\n'),
  );
  await Promise.all(
    lanes.map((config, lane) => {
      const configFile = path.join(configDir, `lane-${lane}.curl`);
      writeFileSync(configFile, `${config}\n`);
      return run('curl', ['-K', configFile], { timeout: TOOL_TIMEOUT_MS });
    }),
  );
  await session.complete();
}

/** `dd` of the same bytes to the same disk: 1 MiB blocks, no fsync, as the node writes (page cache, no fsync). */
export async function ddCopy(from: string, to: string): Promise<void> {
  await run('dd', [`if=${from}`, `of=${to}`, 'bs=1M', 'status=none'], { timeout: TOOL_TIMEOUT_MS });
}

export async function shell(command: string, cwd?: string): Promise<string> {
  const { stdout } = await run('sh', ['-c', command], { cwd, timeout: TOOL_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

function toMs(text: string): number {
  const m = /([\d.]+)(us|ms|s)/.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]);
  return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
}

/** Debian's wrk with a Lua script setting method, headers and body; latency percentiles from `--latency`. */
export async function wrk(
  url: string,
  options: { connections: number; seconds: number; threads: number; script?: string },
): Promise<WrkResult> {
  const args = [
    '-t',
    String(options.threads),
    '-c',
    String(options.connections),
    '-d',
    `${options.seconds}s`,
    '--latency',
    '--timeout',
    '10s',
  ];
  if (options.script) args.push('-s', options.script);
  const { stdout } = await run('wrk', [...args, url], { timeout: (options.seconds + 60) * 1000 });
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const p50 = /\s50%\s+(\S+)/.exec(stdout);
  const p99 = /\s99%\s+(\S+)/.exec(stdout);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  if (!rps || !p99 || !p50) throw new Error(`unexpected wrk output:\n${stdout}`);
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: toMs(p50[1] ?? ''),
    p99Ms: toMs(p99[1] ?? ''),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
    errors: errors ? errors.slice(1).reduce((s, n) => s + Number(n), 0) : 0,
  };
}

/**
 * The same file through an upload session of the gateway (docs/http-gateway.md §11), the parts sent
 * by curl, `parallel` at a time, each read at its offset by dd: what a native client of the session
 * protocol does. Creating and completing the session are two small JSON requests.
 */
export async function curlSessionUpload(
  gatewayUrl: string,
  spec: Record<string, unknown>,
  part: UploadPart,
  partBytes: number,
  parallel: number,
): Promise<void> {
  const session = await openUploadSession(gatewayUrl, spec, part);
  const offsets: number[] = [];
  for (let at = 0; at < part.size; at += partBytes) offsets.push(at);
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const lane = async () => {
    for (let at = offsets.shift(); at !== undefined; at = offsets.shift()) {
      const length = Math.min(partBytes, part.size - at);
      const command =
        `dd if=${quote(part.file)} iflag=skip_bytes,count_bytes skip=${at} count=${length} bs=1M status=none | ` +
        `curl -sS --fail-with-body -X PATCH -T - -H 'Transfer-Encoding:' -H 'Content-Length: ${length}' ` +
        `-H 'Content-Type: application/offset+octet-stream' -H 'Upload-Offset: ${at}' ${quote(session.fileUrl)}`;
      await run('sh', ['-c', command], { timeout: TOOL_TIMEOUT_MS });
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  await session.complete();
}
