import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import {
  runtimeSettingKeySchema,
  runtimeSettingSchema,
  runtimeSettingsResponseSchema,
  updateRuntimeSettingRequestSchema,
} from '../../../contract/runtime-settings';
import type { ZodTypeProvider } from '../../lib/zod-type-provider';
import type { AuditLog } from '../audit/audit-log';
import { requireAdmin } from '../audit/require-admin';
import type { RuntimeSettings } from './runtime-settings';

/** Admins read and change the run-time settings; a refusal is audited like any other decision. */
export const settingsRoutes: FastifyPluginAsync<{ settings: RuntimeSettings; audit: AuditLog }> = async (fastify, { settings, audit }) => {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  app.get('/api/admin/settings', { schema: { response: { 200: runtimeSettingsResponseSchema } } }, async (request) => {
    await requireAdmin(request, audit, 'settings-read');
    return { settings: await settings.list() };
  });

  app.put(
    '/api/admin/settings/:key',
    {
      schema: {
        params: z.object({ key: runtimeSettingKeySchema }),
        body: updateRuntimeSettingRequestSchema,
        response: { 200: runtimeSettingSchema },
      },
    },
    async (request) => {
      const admin = await requireAdmin(request, audit, 'setting-change', request.params.key);
      return settings.set(request.params.key, request.body.value, admin.id);
    },
  );
};
