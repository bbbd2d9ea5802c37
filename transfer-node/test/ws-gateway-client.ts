/**
 * A WebSocket upload to the gateway as IBM's CLI sends it in synchronous mode (docs/http-gateway.md
 * §9): every message waits for its acknowledgement, 64,000-byte slices, v2 headers around binary
 * frames or v1 base64 slices. Answers the acknowledgements seen and the error, if any.
 */
import { WebSocket } from 'ws';

export const CHUNK = 64_000;

export interface WsFile {
  /** paths[k].source in the spec; also the header's name. */
  name: string;
  data: Buffer;
}

export interface WsOutcome {
  acks: string[];
  error: { message: string; code: number } | null;
  closeCode: number;
}

export function openWs(url: string, headers: Record<string, string> = {}, ca?: Buffer): Promise<WebSocket> {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), { headers, ...(ca ? { ca } : {}) });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', (err) => reject(err as Error));
  });
}

/** Sends `frames` one by one, each after the previous one's answer, until done or an error. */
export async function exchange(ws: WebSocket, frames: Array<string | Buffer>, options: { close?: boolean } = {}): Promise<WsOutcome> {
  const outcome: WsOutcome = { acks: [], error: null, closeCode: 0 };
  const answers: string[] = [];
  let wake: (() => void) | null = null;
  let closed = false;
  ws.on('message', (data) => {
    answers.push(String(data));
    wake?.();
  });
  const closing = new Promise<void>((resolve) =>
    ws.on('close', (code: number) => {
      outcome.closeCode = code;
      closed = true;
      wake?.();
      resolve();
    }),
  );
  const next = async () => {
    while (answers.length === 0 && !closed) await new Promise<void>((r) => (wake = r));
    return answers.shift();
  };
  for (const frame of frames) {
    if (closed) break;
    ws.send(frame);
    const answer = await next();
    if (answer === undefined) break;
    if (answer === 'end upload' || answer === 'end_slice_upload') outcome.acks.push(answer);
    else {
      outcome.error = JSON.parse(answer) as WsOutcome['error'];
      break;
    }
  }
  if (options.close !== false) ws.close(1000);
  await closing;
  return outcome;
}

export function specFrame(spec: Record<string, unknown>): string {
  return JSON.stringify({ transfer_spec: spec });
}

/** v2: per file a header, binary slices, the header again (IBM's CLI, docs/http-gateway.md §9.2). */
export function v2Frames(files: WsFile[]): Array<string | Buffer> {
  const frames: Array<string | Buffer> = [];
  files.forEach((file, fileIndex) => {
    const slices = Math.max(1, Math.ceil(file.data.length / CHUNK));
    const header = JSON.stringify({
      slice_upload: {
        name: file.name,
        type: 'application/octet-stream',
        size: file.data.length,
        slice: 0,
        total_slices: slices,
        fileIndex,
      },
    });
    frames.push(header);
    for (let i = 0; i < file.data.length; i += CHUNK) frames.push(file.data.subarray(i, i + CHUNK));
    frames.push(header);
  });
  return frames;
}

/** v1: every slice is a header carrying its bytes base64 in `data`. */
export function v1Frames(files: WsFile[]): string[] {
  const frames: string[] = [];
  files.forEach((file, fileIndex) => {
    const slices = Math.max(1, Math.ceil(file.data.length / CHUNK));
    for (let slice = 0; slice < slices; slice++) {
      const data = file.data.subarray(slice * CHUNK, (slice + 1) * CHUNK).toString('base64');
      frames.push(
        JSON.stringify({ slice_upload: { name: file.name, size: file.data.length, slice, total_slices: slices, fileIndex, data } }),
      );
    }
  });
  return frames;
}
