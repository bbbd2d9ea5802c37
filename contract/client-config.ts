import { z } from 'zod';

/** What the SPA needs to know about this deployment before it moves bytes. */
export const clientConfigSchema = z.object({
  /** The IBM Aspera SDK bundle to load for Desktop, or null when Desktop is not offered. */
  asperaSdkUrl: z.string().nullable(),
  asperaAppId: z.string(),
  /** The first OpenID Connect provider's name for "Sign in with …", or null when none is configured. */
  oidcName: z.string().nullable(),
  /** Every OpenID Connect provider, in the login page's order, each with its own button (docs/oidc.md §6). */
  oidcProviders: z.array(z.object({ id: z.string(), name: z.string(), startUrl: z.string() })),
  /** False when only admins may log in with a password (docs/oidc.md §5): the login page shows only "Sign in with …". */
  localLoginForm: z.boolean(),
});
export type ClientConfig = z.infer<typeof clientConfigSchema>;
