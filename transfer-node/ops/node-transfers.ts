/**
 * Node-initiated transfers (`POST /ops/transfers`, scenario S6; docs/node-api.md §5.1). Everything
 * that can be refused is refused before the answer: the spec (node-transfer-spec.ts) and the local
 * side (sources found, destination folder inside the docroot). Then the transfer runs in the
 * background under an ordinary record, so `GET /ops/transfers/{id}` and the cancel routes treat it
 * as any other transfer. A receive writes to staging files that reach their final names only when
 * every file has arrived, as gateway uploads do (docs/http-gateway.md §3.1).
 */
import { dirname } from 'node:path';
import type { NodeContext } from '../context';
import { asNodeError, NodeError } from '../errors';
import { parseNodePath, toNodePath } from '../storage/node-path';
import type { UploadBatch } from '../storage/upload-writer';
import { MAX_FILES_PER_RECORD, nowUsec, type TransferRecord } from '../transfers/transfer-record';
import type { LiveTransfer } from '../transfers/transfer-store';
import { downloadOverGateway, uploadOverGateway } from './gateway-client';
import { collectLocalSources, type LocalFile } from './local-sources';
import { OutgoingSessions } from './outgoing-sessions';
import { remoteSessions, SESSION_MAX_FILES, uploadOverSessions } from './session-client';
import { unpackFolderZip } from './zip-receive';
import { planNodeTransfer, type NodeTransferPlan } from './node-transfer-spec';

export async function startNodeTransfer(ctx: NodeContext, body: unknown): Promise<TransferRecord> {
  const plan = planNodeTransfer(body);
  return plan.direction === 'send' ? startSend(ctx, plan) : startReceive(ctx, plan);
}

async function startSend(ctx: NodeContext, plan: NodeTransferPlan): Promise<TransferRecord> {
  const files = await collectLocalSources(ctx.files.docroot, plan.localRoot, plan.spec.paths);
  const live = begin(ctx, plan, {
    sourcePaths: plan.spec.paths.map((p) => toNodePath([...plan.localRoot, ...parseNodePath(p.source, { allowLeadingSlash: true })])),
    destinationPath: plan.spec.destination_root ?? '',
    bytesExpected: files.reduce((sum, f) => sum + f.size, 0),
    filesExpected: files.length,
  });
  trackFiles(
    live,
    files.map((f) => ({ path: f.nodePath, size: f.size })),
  );
  void run(ctx, live, () => send(ctx, plan, files, live));
  return live.record;
}

/**
 * A large send goes through the remote's upload sessions when it offers them (the embedded node
 * does: docs/http-gateway.md §11), as raw parts in parallel; else, and to an IBM gateway, as one v3
 * multipart upload (§3).
 */
async function send(ctx: NodeContext, plan: NodeTransferPlan, files: LocalFile[], live: LiveTransfer): Promise<void> {
  const progress = progressOf(live);
  const signal = live.abort.signal;
  const bytes = files.reduce((sum, f) => sum + f.size, 0);
  if (files.length <= SESSION_MAX_FILES && bytes >= ctx.send.partBytes) {
    const remote = await remoteSessions(plan.gatewayUrl, signal);
    if (remote)
      return uploadOverSessions(remote, plan.spec, files, progress, signal, new OutgoingSessions(ctx.settings.stateDir), ctx.send);
  }
  return uploadOverGateway(plan.gatewayUrl, plan.spec, files, progress, signal);
}

async function startReceive(ctx: NodeContext, plan: NodeTransferPlan): Promise<TransferRecord> {
  const targetRoot = plan.localRoot;
  const located = await ctx.files.docroot.locate(targetRoot);
  if (!located.missing) {
    const resolved = await ctx.files.docroot.resolve(targetRoot);
    if (resolved.stats && !resolved.stats.isDirectory()) throw new NodeError(409, 'destination_root is not a folder', 'not_a_folder');
  }
  const targets = plan.spec.paths.map((p) => {
    const name = p.destination ?? p.source.split('/').filter(Boolean).pop() ?? '';
    return parseNodePath(name.replace(/^\/+/, ''), { allowLeadingSlash: false });
  });
  const replace = plan.spec.overwrite !== 'never' && plan.spec.overwrite !== 'none';
  const batch = ctx.uploads.batch(() => replace, targetRoot);
  for (const target of targets) await batch.checkTarget([...targetRoot, ...target]);
  const live = begin(ctx, plan, {
    sourcePaths: plan.spec.paths.map((p) => p.source),
    destinationPath: toNodePath(targetRoot),
    bytesExpected: expectedSize(plan.spec.tags),
    filesExpected: targets.length,
  });
  trackFiles(
    live,
    targets.map((t) => ({ path: toNodePath([...targetRoot, ...t]), size: 0 })),
  );
  void run(ctx, live, () => receiveAll(ctx, plan, batch, targets, live));
  return live.record;
}

async function receiveAll(ctx: NodeContext, plan: NodeTransferPlan, batch: UploadBatch, targets: string[][], live: LiveTransfer) {
  const progress = progressOf(live);
  const staged: string[] = [];
  // What lands once everything arrived: [staged file, final segments], and the folders to create.
  const landing: Array<[string, string[]]> = [];
  const folders: string[][] = [];
  try {
    for (const [index, path] of plan.spec.paths.entries()) {
      const file = ctx.uploads.stage();
      staged.push(file.partial);
      const target = [...plan.localRoot, ...(targets[index] as string[])];
      const kind = await downloadOverGateway(
        plan.gatewayUrl,
        plan.spec,
        path.source,
        file.stream,
        (n) => progress.bytes(index, n),
        live.abort.signal,
      ).catch((err: unknown) => {
        file.stream.destroy();
        throw err;
      });
      const entry = live.record.files[index];
      if (kind === 'folder') {
        // docs/node-api.md §5.1: a folder comes as the remote's zip, unpacked here into staged files.
        const unpacked = await unpackFolderZip(ctx, file.partial, live.abort.signal);
        staged.push(...unpacked.files.map((f) => f.partial));
        // The gateway names entries below the folder's own name ("proj/a.txt"); the folder lands
        // under the target's name (the spec's destination, else that same name).
        const top = unpacked.files[0]?.segments[0] ?? unpacked.folders[0]?.[0];
        const below = (segments: string[]) => (segments[0] === top ? segments.slice(1) : segments);
        if (
          [...unpacked.files.map((f) => f.segments), ...unpacked.folders].some((segments) => segments[0] !== top || segments.length === 0)
        )
          throw new NodeError(502, `The remote's zip of ${path.source} does not hold one folder`, 'remote');
        for (const f of unpacked.files) {
          const segments = [...target, ...below(f.segments)];
          await batch.checkTarget(segments);
          landing.push([f.partial, segments]);
        }
        folders.push(target, ...unpacked.folders.map((f) => [...target, ...below(f)]));
        await ctx.uploads.discard(file.partial);
        // The record counts the folder's files, not the one zip (the portal shows these counts).
        live.record.filesExpected += unpacked.files.length - 1;
        live.record.filesCompleted += unpacked.files.length - 1;
        if (entry) entry.size = unpacked.files.reduce((sum, f) => sum + f.size, 0);
      } else {
        landing.push([file.partial, target]);
        if (entry) entry.size = entry.bytesWritten;
      }
      progress.fileDone(index);
    }
    for (const [partial, segments] of landing) await batch.commit(partial, segments);
    // Empty folders carry no file: made after the files landed, as a gateway upload does not make them.
    for (const folder of folders) {
      const abs = await ctx.files.docroot.ensureDir(folder);
      ctx.files.listings.invalidate(dirname(abs));
    }
  } finally {
    await Promise.all(staged.map((p) => ctx.uploads.discard(p)));
  }
}

function begin(
  ctx: NodeContext,
  plan: NodeTransferPlan,
  fields: Pick<TransferRecord, 'sourcePaths' | 'destinationPath' | 'bytesExpected' | 'filesExpected'>,
): LiveTransfer {
  return ctx.transfers.begin({
    direction: plan.direction,
    remoteHost: plan.remoteHost,
    remoteUser: typeof plan.spec.remote_user === 'string' ? plan.spec.remote_user : '',
    clientIp: ctx.settings.remoteHost,
    tags: plan.spec.tags ?? null,
    cookie: plan.spec.cookie ?? null,
    ...fields,
  });
}

function trackFiles(live: LiveTransfer, files: { path: string; size: number }[]): void {
  const start = nowUsec();
  for (const file of files.slice(0, MAX_FILES_PER_RECORD))
    live.record.files.push({ path: file.path, size: file.size, bytesWritten: 0, status: 'transferring', startUsec: start, endUsec: 0 });
}

function progressOf(live: LiveTransfer) {
  return {
    bytes(index: number, bytes: number) {
      live.record.bytesTransferred += bytes;
      const file = live.record.files[index];
      if (file) file.bytesWritten += bytes;
    },
    fileDone(index: number) {
      live.record.filesCompleted += 1;
      const file = live.record.files[index];
      if (file) {
        file.status = 'completed';
        file.endUsec = nowUsec();
      }
    },
  };
}

async function run(ctx: NodeContext, live: LiveTransfer, carry: () => Promise<void>): Promise<void> {
  try {
    await carry();
    ctx.transfers.finish(live, 'completed');
  } catch (err) {
    const error = live.abort.signal.aborted ? new NodeError(499, 'The transfer was canceled') : asNodeError(err);
    live.record.filesFailed = live.record.filesExpected - live.record.filesCompleted;
    ctx.transfers.finish(live, live.abort.signal.aborted ? 'canceled' : 'failed', { code: error.status, message: error.message });
  }
}

/** `tags.aspera["http-gateway"].expected_size`, which a download spec carries (docs/node-api.md §4). */
function expectedSize(tags: Record<string, unknown> | null | undefined): number {
  const gateway = (tags?.aspera as Record<string, unknown> | undefined)?.['http-gateway'] as Record<string, unknown> | undefined;
  return typeof gateway?.expected_size === 'number' ? gateway.expected_size : 0;
}
