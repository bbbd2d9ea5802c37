import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import type { PortalApi } from './portal-api';
import { MAIN_SERVER } from './servers';

/**
 * A space on the embedded node registered a second time as `hsts` (its own URL and credentials,
 * from the e2e data dir): the portal offers Desktop only for HSTS spaces, and the fake SDK plays it.
 */
export async function spaceOnHstsNode(api: PortalApi, rootPath?: string): Promise<{ id: string; name: string }> {
  const secrets = JSON.parse(readFileSync(path.join(process.env.COURIER_E2E_DATA_DIR!, 'node', 'secrets.json'), 'utf8')) as {
    node_user?: string;
    node_password?: string;
  };
  expect(secrets.node_user, 'the embedded node stores its credentials').toBeTruthy();
  const { nodes } = await api.get<{ nodes: Array<{ kind: string; gatewayUrl: string | null }> }>('/api/nodes');
  const embedded = nodes.find((n) => n.kind === 'embedded')!;
  const suffix = randomUUID().slice(0, 8);
  const node = await api.post<{ id: string }>('/api/nodes', {
    name: `HSTS ${suffix}`,
    url: `http://127.0.0.1:${MAIN_SERVER.nodePort}`,
    username: secrets.node_user,
    secret: secrets.node_password,
    gatewayUrl: embedded.gatewayUrl,
    kind: 'hsts',
  });
  return api.post<{ id: string; name: string }>('/api/spaces', {
    name: `Desktop ${suffix}`,
    nodeId: node.id,
    ...(rootPath ? { rootPath } : {}),
  });
}
