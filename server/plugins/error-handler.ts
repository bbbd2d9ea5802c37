import type { FastifyError, FastifyInstance } from 'fastify';
import { ZodError } from 'zod';
import type { ApiErrorBody } from '../../contract/api-error';
import { AppError, ERRORS } from '../errors';
import { describeZodError } from '../lib/zod-type-provider';

/**
 * One place turns every failure into `{ code, message }`: our own AppErrors as they are, Fastify's
 * and zod's input errors as 4xx with a readable message, anything else as a logged 500 whose
 * details stay in the log.
 */
export function registerErrorHandler(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((error: FastifyError | AppError | ZodError, request, reply) => {
    const appError = toAppError(error, bodyLimit);
    // A refusal under load is expected behaviour, not a failure to investigate: no stack trace.
    if (appError.code === 'SERVER_BUSY') request.log.warn({ code: appError.code, status: appError.statusCode }, appError.message);
    else if (appError.statusCode >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, status: appError.statusCode }, appError.message);
    if (appError.extra.retryAfterSeconds !== undefined) reply.header('retry-after', String(appError.extra.retryAfterSeconds));
    const body: ApiErrorBody = { code: appError.code, message: appError.message, ...appError.extra };
    return reply.status(appError.statusCode).type('application/json; charset=utf-8').serializer(JSON.stringify).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const error = ERRORS.NotFound(`${request.method} ${request.url.split('?')[0]}`);
    return reply.status(404).send({ code: error.code, message: error.message });
  });
}

function toAppError(error: FastifyError | AppError | ZodError, bodyLimit: number): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) return ERRORS.Validation(describeZodError(error));
  if ('validation' in error && error.validation) {
    const cause = (error as { cause?: unknown }).cause;
    return ERRORS.Validation(cause instanceof ZodError ? describeZodError(cause) : error.message);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return ERRORS.PayloadTooLarge(bodyLimit);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return ERRORS.UnsupportedMediaType();
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return ERRORS.BadRequest('The request body is empty; send a JSON object.');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return ERRORS.BadRequest('The Content-Length header does not match the body.');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return ERRORS.BadRequest(error.message);
  return ERRORS.Internal();
}
