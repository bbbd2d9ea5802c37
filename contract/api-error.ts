import { z } from 'zod';
import { ERROR_CODES } from './error-codes';

export const apiErrorBodySchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** Seconds until a rate-limited request may be tried again. */
  retryAfterSeconds: z.number().int().nonnegative().optional(),
});

export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;
