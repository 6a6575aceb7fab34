import { INestApplication, ValidationPipe } from '@nestjs/common';
import { installExpressBodyParsers } from './validation/json-body.parser';
import { NestingDepthPipe } from './validation/nesting-depth.pipe';
import { validationErrorResponse } from './validation/validation-errors';

/**
 * Applies the demo's global settings to an application; `main.ts` and the e2e tests share it.
 * Bodies and queries are validated against their DTOs after a nesting-depth check, unknown
 * fields are rejected, and no error response quotes the request body.
 */
export function configureDemoApp(app: INestApplication): INestApplication {
  installExpressBodyParsers(app);
  app.useGlobalPipes(
    new NestingDepthPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationErrorResponse,
    }),
  );
  app.enableShutdownHooks();
  return app;
}
