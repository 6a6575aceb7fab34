import { BadRequestException, INestApplication, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * Applies the demo's global settings to an application; `main.ts` and the e2e tests share it.
 * Bodies and queries are validated against their DTOs, and unknown fields are rejected.
 */
export function configureDemoApp(app: INestApplication): INestApplication {
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: (errors: ValidationError[]) => {
        const messages = errors.flatMap((error) => Object.values(error.constraints ?? { [error.property]: `${error.property} is invalid` }));
        return new BadRequestException({
          statusCode: 400,
          error: 'Bad Request',
          message: messages,
          fields: errors.map((error) => error.property),
        });
      },
    }),
  );
  app.enableShutdownHooks();
  return app;
}
