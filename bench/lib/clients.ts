/** What a benchmark asks of the node's API and the portal's API, over HTTP like any client. */
import type { NodeProcess } from '../../test-kit/courier-process';
import type { CourierProcess } from './processes';

type Spec = Record<string, unknown>;

async function json<T>(res: Response, what: string): Promise<T> {
  if (!res.ok) throw new Error(`${what} → ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function nodeSetup(node: NodeProcess, kind: 'upload_setup' | 'download_setup', request: Record<string, unknown>): Promise<Spec> {
  const res = await fetch(`${node.url}/files/${kind}`, {
    method: 'POST',
    headers: { authorization: node.auth, 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_requests: [{ transfer_request: request }] }),
  });
  const body = await json<{ transfer_specs: Array<{ transfer_spec?: Spec; error?: unknown }> }>(res, kind);
  const item = body.transfer_specs[0];
  if (!item?.transfer_spec) throw new Error(`${kind} refused: ${JSON.stringify(item?.error)}`);
  return item.transfer_spec;
}

export const nodeUploadSpec = (node: NodeProcess, destination: string) => nodeSetup(node, 'upload_setup', { paths: [{ destination }] });
export const nodeDownloadSpec = (node: NodeProcess, sources: string[]) =>
  nodeSetup(node, 'download_setup', { paths: sources.map((source) => ({ source })) });

/** `POST /v3/presign` (docs/http-gateway.md §5.3): a URL that carries its own authorization. */
export async function presign(gatewayUrl: string, spec: Spec): Promise<string> {
  const res = await fetch(`${gatewayUrl}/v3/presign`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transfer_spec: spec, method: 'GET' }),
  });
  return (await json<{ signed_url: string }>(res, 'presign')).signed_url;
}

export interface PortalSession {
  url: string;
  cookie: string;
  csrfToken: string;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function login(courier: CourierProcess): Promise<PortalSession> {
  const res = await fetch(`${courier.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: courier.adminPassword }),
  });
  const session = await json<{ csrfToken: string }>(res, 'login');
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const api = async <T>(method: string, path: string, body?: unknown) =>
    json<T>(
      await fetch(`${courier.url}${path}`, {
        method,
        headers: { cookie, 'x-csrf-token': session.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
      `${method} ${path}`,
    );
  return { url: courier.url, cookie, csrfToken: session.csrfToken, api };
}

/**
 * A shared space at the folder `/spaces/<name>`, given explicitly: generated folders carry a random
 * id (space-root.ts), and the benchmarks write into the docroot directly. Names must be unique.
 */
export async function createSpace(session: PortalSession, name: string): Promise<{ id: string; nodeFolder: string }> {
  const space = await session.api<{ id: string }>('POST', '/api/spaces', { name, rootPath: `/spaces/${name}` });
  return { id: space.id, nodeFolder: `/spaces/${name}` };
}

export interface PortalTransfer {
  transfer: { id: string };
  transferSpec: Spec;
  clients: Array<{ type: string; url?: string }>;
}

export const portalUpload = (session: PortalSession, spaceId: string, folder: string, files: Array<{ path: string; size: number }>) =>
  session.api<PortalTransfer>('POST', '/api/transfers', { spaceId, direction: 'upload', folder, files });

export const portalDownload = (session: PortalSession, spaceId: string, paths: string[]) =>
  session.api<PortalTransfer>('POST', '/api/transfers', { spaceId, direction: 'download', paths });

export function gatewayOf(t: PortalTransfer): string {
  const url = t.clients.find((c) => c.type === 'http-gateway')?.url;
  if (!url) throw new Error('the portal offered no HTTP Gateway');
  return url;
}
