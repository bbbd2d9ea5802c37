/** Validates a body or query with zod and turns a failure into a 400 naming the field. */
import type { z } from 'zod';
import { ERRORS } from '../errors';

export function parseBody<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
  throw ERRORS.badRequest(`Invalid ${where}: ${issue?.message ?? 'malformed request'}`);
}
