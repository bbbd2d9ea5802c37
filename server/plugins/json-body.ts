import type { FastifyInstance } from 'fastify';
import { ERRORS } from '../errors';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Replaces Fastify's JSON parser with one that refuses bodies that are not valid UTF-8 (the default
 * silently turns bad bytes into U+FFFD, so a mangled password or filename would be stored as
 * something the user never typed) and strips `__proto__`/`constructor` keys.
 *
 * JSON is the only body the API takes: Fastify's built-in text/plain parser is removed too, so a
 * text body gets 415 UNSUPPORTED_MEDIA_TYPE like a form does, not a 400 about the body's shape
 * (a public one-time code sent as text was told its fields were wrong).
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body: Buffer, done) => {
    let text: string;
    try {
      text = utf8.decode(body);
    } catch {
      return done(ERRORS.BadRequest('The request body is not valid UTF-8.'), undefined);
    }
    if (text.trim() === '') return done(ERRORS.BadRequest('The request body is empty; send a JSON object.'), undefined);
    try {
      done(
        null,
        JSON.parse(text, (key, value: unknown) => (key === '__proto__' || key === 'constructor' ? undefined : value)),
      );
    } catch {
      done(ERRORS.BadRequest('The request body is not valid JSON.'), undefined);
    }
  });
}
