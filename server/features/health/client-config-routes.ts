import type { FastifyPluginAsync } from 'fastify';
import { clientConfigSchema, type ClientConfig } from '../../../contract/client-config';
import type { Config } from '../../config';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';

/** Public: the SDK's URL and app id are in the page's CSP anyway; nothing here is secret. */
export const clientConfigRoutes: FastifyPluginAsync<{
  config: Config;
  localLoginFormOff: () => boolean;
  oidcProviders: ClientConfig['oidcProviders'];
}> = async (fastify, { config, localLoginFormOff, oidcProviders }) => {
  fastify
    .withTypeProvider<ZodTypeProvider>()
    .get('/api/client-config', { config: { auth: 'public' }, schema: { response: { 200: clientConfigSchema } } }, async () => ({
      asperaSdkUrl: config.asperaSdkUrl ?? null,
      asperaAppId: config.asperaAppId,
      oidcName: oidcProviders[0]?.name ?? null,
      oidcProviders,
      localLoginForm: !localLoginFormOff(),
    }));
};
