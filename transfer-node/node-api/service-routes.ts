/**
 * GET /info, GET /license and GET / (docs/node-api.md §2), behind Basic auth. `/ping` is registered
 * unauthenticated in app.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { NodeContext } from '../context';
import { isoSeconds } from '../storage/file-service';

// The Node API generation whose shapes this node follows (IBM Aspera Node API 4.4.6, OpenAPI; docs/node-api.md).
export const NODE_API_VERSION = '4.4.6.0';

export async function serviceRoutes(app: FastifyInstance, ctx: NodeContext): Promise<void> {
  const { settings } = ctx;
  // docs/node-api.md §9.12: ascli reads /info with a bearer token too (for the transfer user of gen4 specs).
  app.get('/info', { config: { access: 'any' } }, async () => ({
    application: 'node',
    name: 'Courier embedded transfer node',
    version: NODE_API_VERSION,
    current_time: isoSeconds(new Date()),
    os: `${process.platform} ${process.arch}`,
    node_id: settings.nodeId,
    cluster_id: settings.nodeId,
    transfer_user: settings.transferUser,
    docroot: 'file:////',
    async_reporting: 'no',
    transfer_activity_reporting: 'yes',
    acls: [],
    http_gateway_url: settings.gatewayUrl,
    capabilities: [
      { name: 'http_gateway', value: true },
      { name: 'http_gateway_version', value: '3' },
      { name: 'token_life_seconds', value: String(settings.tokenLifeSeconds) },
      { name: 'sync', value: false },
      { name: 'symbolic_links', value: true },
      { name: 'move_file', value: true },
      { name: 'move_directory', value: true },
    ],
    settings: [
      { name: 'http_gateway_url', value: settings.gatewayUrl },
      { name: 'wss_enabled', value: false },
      { name: 'content_protection_required', value: false },
    ],
  }));
}

/**
 * `GET /license` (docs/node-api.md §2): the OAS does not describe it; ascli's `node license` prints
 * whatever object comes back. This node is no IBM product and holds no Aspera license, and says so
 * rather than inventing a customer, an expiry or a FASP rate.
 */
export async function licenseRoutes(app: FastifyInstance): Promise<void> {
  app.get('/license', async () => ({
    product_name: 'Courier embedded transfer node',
    product_version: NODE_API_VERSION,
    license_type: 'none',
    aspera_license: false,
    expiration_date: null,
    maximum_bandwidth_kbps: null,
    transports: ['http_gateway'],
    message: 'Not an IBM Aspera product: no Aspera license, no FASP; files move over the node HTTP Gateway only.',
  }));
}

/**
 * `GET /` (docs/node-api.md §2): what this node serves, route by route, from the routes actually
 * registered (`endpoints` is filled by app.ts as each Node API route is added), so it cannot drift.
 */
export async function rootRoutes(app: FastifyInstance, options: { endpoints: readonly string[] }): Promise<void> {
  app.get('/', async () => ({
    application: 'node',
    name: 'Courier embedded transfer node',
    version: NODE_API_VERSION,
    endpoints: [...new Set(options.endpoints)].sort(),
  }));
}
