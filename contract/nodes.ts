import { z } from 'zod';

/** A transfer node as admins see it. Its password or access-key secret never leaves the server. */
export const nodeSchema = z.object({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  username: z.string(),
  gatewayUrl: z.string().nullable(),
  verifyTls: z.boolean(),
  kind: z.enum(['embedded', 'hsts']),
  isDefault: z.boolean(),
});
export type TransferNode = z.infer<typeof nodeSchema>;

const httpUrl = z.url().refine((u) => /^https?:\/\//.test(u), 'must be an http:// or https:// URL');

export const createNodeRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  url: httpUrl,
  /** Node API user, or access key id. */
  username: z.string().min(1).max(256),
  /** Node API password, or access key secret. */
  secret: z.string().min(1).max(1024),
  gatewayUrl: httpUrl.nullable().optional(),
  verifyTls: z.boolean().default(true),
  kind: z.enum(['embedded', 'hsts']).default('hsts'),
  isDefault: z.boolean().default(false),
});

export const nodeTestResultSchema = z.object({
  ok: z.boolean(),
  message: z.string().optional(),
  info: z
    .object({
      version: z.string().nullable(),
      transferUser: z.string().nullable(),
      currentTime: z.string().nullable(),
    })
    .optional(),
});
