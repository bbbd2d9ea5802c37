/**
 * An upload cut off midway, by the client or by the node process dying, leaves no truncated file
 * under its final name, and no partial once the node has restarted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { partialUpload } from '../../test-kit/gateway-upload';
import { startTestNode, waitFor } from './node-harness';

const repoRoot = resolve(import.meta.dirname, '../..');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('interrupted uploads', () => {
  it('a client that disconnects midway leaves neither a final file nor a partial', async () => {
    const t = await startTestNode();
    try {
      const spec = await t.uploadSpec('/Inbox');
      const up = partialUpload(t.node.gatewayUrl, spec, { path: 'cut.bin', size: 4_000_000 }, 1_500_000);
      const running = await waitFor(async () => (await t.apiJson('/ops/transfers?active_only=true'))[0]);
      await waitFor(async () => (await t.apiJson(`/ops/transfers/${running.id}`)).bytes_transferred >= 1_500_000);
      expect(await readdir(join(t.docroot, '.courier-staging'))).toHaveLength(1);
      up.abort();
      const ended = await waitFor(async () => {
        const transfer = await t.apiJson(`/ops/transfers/${running.id}`);
        return transfer.status !== 'running' && transfer;
      });
      expect(ended).toMatchObject({ status: 'failed', error_code: 499 });
      await waitFor(async () => (await readdir(join(t.docroot, '.courier-staging'))).length === 0);
      expect(await readdir(t.docroot)).not.toContain('Inbox');
    } finally {
      await t.close();
    }
  });

  it('a killed node process leaves no file under the final name, and its restart clears the partial', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'courier-node-kill-'));
    dirs.push(dir);
    const env = {
      ...process.env,
      COURIER_NODE_USER: 'node_admin',
      COURIER_NODE_PASSWORD: 'kill-test-password',
      COURIER_NODE_LOG_LEVEL: 'silent',
    };
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `await (await import(${JSON.stringify(resolve(import.meta.dirname, '../cli.ts'))})).runTransferNodeCli(process.argv.slice(1), process.env)`,
        '--',
        '--port',
        '0',
        '--docroot',
        join(dir, 'docroot'),
        '--state-dir',
        join(dir, 'state'),
      ],
      { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const url = await listeningUrl(child);
      const auth = 'Basic ' + Buffer.from('node_admin:kill-test-password').toString('base64');
      const setup = await fetch(`${url}/files/upload_setup`, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify({ transfer_requests: [{ transfer_request: { paths: [{ destination: '/Inbox' }] } }] }),
      });
      const spec = (await setup.json()).transfer_specs[0].transfer_spec;
      const up = partialUpload(`${url}/aspera/http-gwy`, spec, { path: 'killed.bin', size: 4_000_000 }, 2_000_000);
      await waitFor(async () => {
        const list = await (await fetch(`${url}/ops/transfers?active_only=true`, { headers: { authorization: auth } })).json();
        return list[0]?.bytes_transferred >= 2_000_000;
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      await up.response.catch(() => undefined);
      expect(await readdir(join(dir, 'docroot/Inbox')).catch(() => [])).not.toContain('killed.bin');
      // The dead process could not clean up: its partial is still in the staging folder.
      expect(await readdir(join(dir, 'docroot/.courier-staging'))).toHaveLength(1);

      const restarted = await startTestNode({ nodeUser: 'node_admin', nodePassword: 'kill-test-password' }, dir);
      try {
        expect(await readdir(join(dir, 'docroot/.courier-staging'))).toEqual([]);
        expect(await readdir(join(dir, 'docroot/Inbox')).catch(() => [])).toEqual([]);
        const [transfer] = await restarted.apiJson('/ops/transfers');
        expect(transfer).toMatchObject({ status: 'failed', error_desc: 'The node stopped during the transfer' });
        expect(transfer.end_time_usec).toBeGreaterThan(0);
      } finally {
        await restarted.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Node API (http:\/\/\S+),/.exec(out);
      if (match) resolvePromise(match[1] as string);
    });
    child.once('exit', (code) => reject(new Error(`node exited early with ${code}: ${out}`)));
  });
}
