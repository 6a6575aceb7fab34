import { AbstractHttpAdapter } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';

/** The HTTP platforms the demo runs on. */
export const HTTP_ADAPTERS = ['express', 'fastify'] as const;

export type HttpAdapterName = (typeof HTTP_ADAPTERS)[number];

/**
 * Creates the Nest HTTP adapter for a platform. `main.ts` and the e2e tests share it. Fastify
 * ignores a trailing slash, as Express does, so `/companies/<id>/` reaches the same route on both.
 */
export function createHttpAdapter(name: HttpAdapterName): AbstractHttpAdapter {
  return name === 'fastify' ? new FastifyAdapter({ routerOptions: { ignoreTrailingSlash: true } }) : new ExpressAdapter();
}

/**
 * Waits until the HTTP server accepts requests without `listen()`. Fastify loads its plugins
 * and routes in `ready()`, which tests that pass the server to supertest must await. Express
 * needs no such step.
 */
export async function waitForHttpServer(adapter: AbstractHttpAdapter): Promise<void> {
  if (adapter.getType() === 'fastify') {
    await (adapter.getInstance() as { ready(): PromiseLike<unknown> }).ready();
  }
}
