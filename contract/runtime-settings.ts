import { z } from 'zod';

/** Settings an admin may change while the portal runs; each one's default comes from the environment. */
export const RUNTIME_SETTING_KEYS = [
  'transferTokenLifeSeconds',
  'sessionIdleTimeoutSeconds',
  'shareDefaultExpiryDays',
  'shareMaxExpiryDays',
  'shareNeverExpires',
  'localLoginForm',
  'oidcMatchEmail',
  'packageExternalRecipients',
] as const;
export const runtimeSettingKeySchema = z.enum(RUNTIME_SETTING_KEYS);
export type RuntimeSettingKey = z.infer<typeof runtimeSettingKeySchema>;

export const runtimeSettingSchema = z.object({
  key: runtimeSettingKeySchema,
  label: z.string(),
  description: z.string(),
  /** The environment variable that gives the default. */
  env: z.string(),
  /** What the environment (or the built-in default) says. */
  defaultValue: z.number().int(),
  /** What the portal uses now: the stored value, else the default. */
  value: z.number().int(),
  /** Whether an admin's value overrides the default. */
  overridden: z.boolean(),
  min: z.number().int(),
  max: z.number().int(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type RuntimeSetting = z.infer<typeof runtimeSettingSchema>;

export const runtimeSettingsResponseSchema = z.object({ settings: z.array(runtimeSettingSchema) });

/** A whole number of seconds, or null to go back to the environment's default. */
export const updateRuntimeSettingRequestSchema = z.object({ value: z.number().int().nullable() });
