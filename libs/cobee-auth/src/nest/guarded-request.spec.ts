import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ContextNotSupportedError } from '../core/cobee-auth.errors';
import { CobeeAuthGuard } from './cobee-auth.guard';
import { CompanyScopeGuard } from './company-scope.guard';
import { AllowContexts } from './decorators/allow-contexts.decorator';
import { Public } from './decorators/public.decorator';
import { classifyContext } from './guarded-request';
import { CobeeForbiddenException } from './cobee-auth.exceptions';

class Handlers {
  plain(): void {}

  @AllowContexts('rpc')
  rpcAllowed(): void {}

  @AllowContexts('ws')
  wsAllowed(): void {}

  @Public()
  open(): void {}
}

function contextOf(type: string, handler: keyof Handlers, args: unknown[] = [{}, {}, {}]): ExecutionContext {
  const context = new ExecutionContextHost(args, Handlers, Handlers.prototype[handler]);
  context.setType(type);
  return context;
}

const reflector = new Reflector();
const config = { realm: 'api', companyDeniedStatus: 403 as const } as never;

describe('classifyContext', () => {
  it.each(['rpc', 'ws'])('denies %s without opt-in', (type) => {
    expect(() => classifyContext(contextOf(type, 'plain'), reflector)).toThrow(ContextNotSupportedError);
  });

  it('passes rpc with opt-in', () => {
    expect(classifyContext(contextOf('rpc', 'rpcAllowed'), reflector)).toEqual({ kind: 'opted-in' });
  });

  it('keeps ws denied when only rpc opted in', () => {
    expect(() => classifyContext(contextOf('ws', 'rpcAllowed'), reflector)).toThrow(ContextNotSupportedError);
  });

  it('passes ws with opt-in', () => {
    expect(classifyContext(contextOf('ws', 'wsAllowed'), reflector)).toEqual({ kind: 'opted-in' });
  });

  it.each(['kafka', 'grpc', 'custom'])('denies unknown context %p', (type) => {
    expect(() => classifyContext(contextOf(type, 'plain'), reflector)).toThrow(ContextNotSupportedError);
  });

  it('denies unknown context even with opt-in metadata', () => {
    expect(() => classifyContext(contextOf('custom', 'rpcAllowed'), reflector)).toThrow(ContextNotSupportedError);
  });

  it('denies graphql without a request in its context', () => {
    expect(() => classifyContext(contextOf('graphql', 'plain', [{}, {}, {}, {}]), reflector)).toThrow(ContextNotSupportedError);
  });

  it('returns the graphql request', () => {
    const req = { headers: {} };
    expect(classifyContext(contextOf('graphql', 'plain', [{}, {}, { req }, {}]), reflector)).toEqual({ kind: 'request', request: req });
  });

  it('marks public handlers before looking at the transport', () => {
    expect(classifyContext(contextOf('custom', 'open'), reflector)).toEqual({ kind: 'public' });
  });
});

describe('guards on other transports', () => {
  // Neither guard reaches its verifier or company service on these paths, so none is given.
  const authGuard = new CobeeAuthGuard(reflector, undefined as never, config);
  const scopeGuard = new CompanyScopeGuard(reflector, undefined as never, config);

  it.each([
    ['rpc', 'plain'],
    ['ws', 'plain'],
    ['custom', 'plain'],
    ['custom', 'rpcAllowed'],
  ] as const)('deny %s on %s', async (type, handler) => {
    await expect(authGuard.canActivate(contextOf(type, handler))).rejects.toBeInstanceOf(CobeeForbiddenException);
    await expect(scopeGuard.canActivate(contextOf(type, handler))).rejects.toBeInstanceOf(CobeeForbiddenException);
  });

  it('pass an rpc handler that opted in', async () => {
    await expect(authGuard.canActivate(contextOf('rpc', 'rpcAllowed'))).resolves.toBe(true);
    await expect(scopeGuard.canActivate(contextOf('rpc', 'rpcAllowed'))).resolves.toBe(true);
  });
});
