/**
 * The body of `POST /ops/transfers` (docs/node-api.md §5.1, scenario S6): a transfer spec the
 * application got from the *remote* node's `upload_setup` (direction `send`: this node's files go
 * there) or `download_setup` (`receive`: the remote's files come here). This node speaks no FASP: it
 * carries the bytes over the remote node's HTTP Gateway v3 with the spec's token, so a spec that
 * needs anything else is refused at once, with the reason, rather than accepted and failed later.
 */
import { z } from 'zod';
import { ERRORS } from '../errors';
import { parseNodePath } from '../storage/node-path';

const pathSchema = z.object({ source: z.string().min(1), destination: z.string().min(1).optional() }).loose();

const specSchema = z
  .object({
    direction: z.enum(['send', 'receive'], { message: 'direction must be "send" or "receive"' }),
    remote_host: z.string().min(1).max(255).optional(),
    token: z
      .string()
      .min(1)
      .max(256 * 1024)
      .optional(),
    paths: z.array(pathSchema).min(1, 'paths must list at least one source').max(1000),
    source_root: z.string().optional(),
    destination_root: z.string().optional(),
    tags: z.record(z.string(), z.unknown()).nullable().optional(),
    cookie: z.string().max(4096).optional(),
  })
  .loose();

export type NodeTransferSpec = z.infer<typeof specSchema>;

export interface NodeTransferPlan {
  direction: 'send' | 'receive';
  /** The remote node's HTTP Gateway base URL (`…/aspera/http-gwy`). */
  gatewayUrl: string;
  remoteHost: string;
  /** The remote's spec as its gateway must see it (its token, roots and tags untouched). */
  spec: NodeTransferSpec;
  /** Docroot segments of the local side: the folder receive writes into, or send's `source_root`. */
  localRoot: string[];
}

// Fields that ask for FASP itself or an SSH login (S4): this node cannot honour them, and quietly
// ignoring them would carry a transfer the caller did not ask for (docs/node-api.md §5.1).
const SSH_FIELDS = ['remote_password', 'ssh_private_key', 'ssh_private_key_passphrase', 'ssh_args'] as const;
const FASP_ONLY: Record<string, (value: unknown) => boolean> = {
  use_ascp4: (v) => v === true,
  multi_session: (v) => typeof v === 'number' && v > 1,
  fasp_proxy: (v) => v !== undefined && v !== null,
  proxy: (v) => v !== undefined && v !== null && v !== '',
  wss_enabled: (v) => v === true,
  source_root_id: (v) => v !== undefined,
  destination_root_id: (v) => v !== undefined,
};

export function planNodeTransfer(body: unknown): NodeTransferPlan {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw ERRORS.badRequest('The body must be a transfer spec object');
  const record = body as Record<string, unknown>;
  for (const field of SSH_FIELDS)
    if (record[field] !== undefined)
      throw ERRORS.badRequest(
        `"${field}": SSH-credential transfers (scenario S4) are not supported by this node; use a token spec from the remote node's upload_setup or download_setup`,
      );
  for (const [field, needsFasp] of Object.entries(FASP_ONLY))
    if (needsFasp(record[field]))
      throw ERRORS.badRequest(
        `"${field}" needs FASP, which this node does not speak; it carries transfers over the remote HTTP Gateway only`,
      );
  const parsed = specSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw ERRORS.badRequest(`Invalid transfer spec: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'malformed'}`);
  }
  const spec = parsed.data;
  if (spec.token === undefined || spec.token.startsWith('Basic '))
    throw ERRORS.badRequest('A transfer token is required ("token" from the remote node\'s upload_setup or download_setup)');
  const gatewayUrl = gatewayOf(spec.tags);
  const localRootText = spec.direction === 'send' ? (spec.source_root ?? '') : (spec.destination_root ?? '');
  return {
    direction: spec.direction,
    gatewayUrl,
    remoteHost: spec.remote_host ?? new URL(gatewayUrl).hostname,
    spec,
    localRoot: parseNodePath(localRootText, { allowLeadingSlash: true }),
  };
}

/** `tags.aspera["http-gateway"].url`, which every `*_setup` of a gateway-capable node answers (docs/node-api.md §4). */
function gatewayOf(tags: Record<string, unknown> | null | undefined): string {
  const aspera = tags?.aspera as Record<string, unknown> | undefined;
  const gateway = aspera?.['http-gateway'] as Record<string, unknown> | undefined;
  const url = gateway?.url;
  if (typeof url !== 'string' || url === '')
    throw ERRORS.badRequest(
      'No HTTP Gateway is known for the remote node (tags.aspera["http-gateway"].url is missing); this node cannot carry the transfer over FASP',
    );
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw ERRORS.badRequest('tags.aspera["http-gateway"].url is not a URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw ERRORS.badRequest('The remote HTTP Gateway URL must be http or https');
  if (parsed.username || parsed.password) throw ERRORS.badRequest('The remote HTTP Gateway URL must not carry credentials');
  return parsed.href.replace(/\/+$/, '');
}
