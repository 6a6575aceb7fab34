import { ExecutionContext } from '@nestjs/common';
import { CobeePrincipal } from '../core/cobee-principal';

/**
 * The state the guards record on a request. It lives under a symbol key, so no request input (a
 * header, a body field, another library setting `request.user`) can forge it.
 */
export interface RequestAuthState {
  principal?: CobeePrincipal;
  /** The company the request is scoped to, as a lower-case UUID, once the scope guard allowed it. */
  companyId?: string;
  /** True once the scope guard ran on an `@Unscoped()` route. */
  unscoped?: boolean;
}

const AUTH_STATE = Symbol('COBEE_AUTH:REQUEST_STATE');

type RequestWithState = { [AUTH_STATE]?: RequestAuthState };

/**
 * Returns the object the state hangs on: Node's `IncomingMessage`. Express passes it everywhere;
 * Fastify passes it to middleware and wraps it as `request.raw` for guards and handlers, so
 * both see one state.
 */
function stateHolder(request: object): RequestWithState {
  const raw = (request as { raw?: unknown }).raw;
  return (typeof raw === 'object' && raw !== null ? raw : request) as RequestWithState;
}

/** Returns the request's auth state, creating it on first use. */
export function authStateOf(request: object): RequestAuthState {
  const holder = stateHolder(request);
  let state = holder[AUTH_STATE];
  if (state === undefined) {
    state = {};
    holder[AUTH_STATE] = state;
  }
  return state;
}

/** Returns the request's auth state without creating it. */
export function peekAuthState(request: object | undefined): RequestAuthState | undefined {
  return request === undefined ? undefined : stateHolder(request)[AUTH_STATE];
}

/** The HTTP-like request the guards work on: Express and Fastify requests, and GraphQL's `context.req`. */
export interface HttpRequestLike {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly rawHeaders?: readonly string[];
  readonly raw?: { readonly rawHeaders?: readonly string[] };
  readonly params?: Record<string, unknown>;
  readonly query?: unknown;
  readonly body?: unknown;
  readonly method?: string;
  readonly url?: string;
  readonly originalUrl?: string;
}

/**
 * Finds the HTTP request behind an execution context. Returns undefined for contexts that
 * have none (RPC, WebSocket, unknown ones), which the guards then deny. GraphQL is read by
 * argument index, so the library does not depend on `@nestjs/graphql`.
 */
export function requestOf(context: ExecutionContext): HttpRequestLike | undefined {
  const type = context.getType<string>();
  if (type === 'http') {
    return context.switchToHttp().getRequest<HttpRequestLike>();
  }
  if (type === 'graphql') {
    const graphqlContext = context.getArgByIndex<{ req?: HttpRequestLike; request?: HttpRequestLike } | undefined>(2);
    return graphqlContext?.req ?? graphqlContext?.request;
  }
  return undefined;
}

/** Node's raw header list of an Express or Fastify request. */
export function rawHeadersOf(request: HttpRequestLike): readonly string[] {
  return request.rawHeaders ?? request.raw?.rawHeaders ?? [];
}
