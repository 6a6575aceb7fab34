import { INestApplication } from '@nestjs/common';
import { json, NextFunction, Request, Response, urlencoded } from 'express';

/** Largest accepted JSON or form body, as in Nest's default parser settings. */
const BODY_LIMIT = '100kb';

/**
 * Installs the JSON and form body parsers on Express with an error handler of their own, so
 * that a malformed body gets 400 with a fixed message. The parsers' own messages quote the
 * start of the body, which may be a client secret. Nest's parsers, which it adds later, skip
 * bodies these have already read. Fastify's parser errors have fixed messages already.
 */
export function installExpressBodyParsers(app: INestApplication): void {
  if (app.getHttpAdapter().getType() !== 'express') {
    return;
  }
  app.use(json({ limit: BODY_LIMIT }));
  app.use(urlencoded({ extended: true, limit: BODY_LIMIT }));
  app.use((error: { type?: string; status?: number } | undefined, _request: Request, response: Response, next: NextFunction) => {
    if (error?.type === 'entity.parse.failed') {
      response.status(400).json({ statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON' });
      return;
    }
    next(error);
  });
}
