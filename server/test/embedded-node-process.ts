import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface EmbeddedNodeProcess {
  url: string;
  gatewayUrl: string;
  username: string;
  password: string;
  docroot: string;
  stop: () => Promise<void>;
}

const root = path.resolve(import.meta.dirname, '../..');

/**
 * Courier's embedded transfer node, run as its own process exactly as an operator runs it
 * (`courier transfer-node`): server/ may not import transfer-node/ (docs/architecture.md §2), and tests of the
 * portal should meet the node only over HTTP, as with a real HSTS.
 */
export async function startEmbeddedNode(options: { corsOrigins?: string[] } = {}): Promise<EmbeddedNodeProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'courier-node-'));
  const username = 'nodeuser';
  const password = 'embedded-node-pass';
  const docroot = path.join(dir, 'docroot');
  const args = ['bin/courier.mjs', 'transfer-node', '--port', '0', '--state-dir', dir, '--docroot', docroot, '--user', username, '--password', password];
  if (options.corsOrigins?.length) args.push('--cors-origins', options.corsOrigins.join(','));
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, env: { ...process.env, COURIER_NODE_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const [url, gatewayUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Node API (\S+), HTTP Gateway (\S+)/.exec(output);
      if (match) resolve([match[1] as string, match[2] as string]);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`transfer node exited with ${code}: ${output}`)));
  });
  return {
    url,
    gatewayUrl,
    username,
    password,
    docroot,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
