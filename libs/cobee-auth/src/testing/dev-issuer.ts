import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { DEFAULT_CLAIM_NAMESPACE } from '../options/cobee-auth-config';
import { DevClientDefinition, DevClientRegistry, RegisteredClient } from './dev-client.registry';
import { OAuthError } from './oauth.error';
import { SigningKeyRing } from './signing-key.ring';
import { readTokenRequest } from './token-request.parser';

/** Settings of a {@link DevIssuer}. */
export interface DevIssuerOptions {
  /** API identifiers the issuer mints tokens for; the first is used when a request names none. */
  readonly audiences: readonly string[];
  /** The clients that may request tokens. */
  readonly clients: readonly DevClientDefinition[];
  /** TCP port to listen on; 0 picks a free one. Default: 0. */
  readonly port?: number;
  /** Interface to listen on. Default: `127.0.0.1`, so the issuer is reachable from this machine only. */
  readonly host?: string;
  /** Name of the custom claim with `companyId` and `corporationId`. Default: `https://auth.cobee.io/metadata`. */
  readonly claimNamespace?: string;
  /** Lifetime of issued tokens, in seconds. Default: 86400, as for Auth0 machine-to-machine tokens. */
  readonly tokenLifetimeSeconds?: number;
  /** Browser origins allowed to call the token endpoint (for Swagger UI), or `*`. Default: none. */
  readonly corsOrigins?: readonly string[] | '*';
  /** Clock for `iat` and `exp`, in milliseconds since the Unix epoch. Default: `Date.now`. */
  readonly clock?: () => number;
}

/** Overrides the key-set endpoint, for tests of outages and bad responses. Return true when the response was handled. */
export type JwksResponder = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * Overrides the token endpoint, for tests of rate limits, outages and hanging requests.
 * Return true when the response was handled; false lets the issuer serve the request as usual.
 * The request still counts in `tokenRequestCount`.
 */
export type TokenResponder = (request: IncomingMessage, response: ServerResponse) => boolean;

/**
 * An Auth0-compatible authorization server for local runs and tests. It serves
 * `POST /oauth/token` (client-credentials grant, credentials in a JSON or form body or an
 * HTTP Basic header), `GET /.well-known/jwks.json` and `GET /.well-known/openid-configuration`,
 * and mints RS256 tokens shaped like Auth0's machine-to-machine tokens.
 */
export class DevIssuer {
  /** The signing keys; tests rotate, add and remove keys through it. */
  readonly keys = new SigningKeyRing(1);
  /** The registered clients. */
  readonly clients = new DevClientRegistry();

  /** Requests served by the key-set endpoint so far. */
  jwksRequestCount = 0;
  /** Token requests received so far, successful or not. */
  tokenRequestCount = 0;

  private readonly logger = new Logger(DevIssuer.name);
  private readonly server: Server;
  private readonly clock: () => number;
  private jwksResponder: JwksResponder | undefined;
  private tokenResponder: TokenResponder | undefined;
  private baseUrl = '';

  private constructor(private readonly options: DevIssuerOptions) {
    if (options.audiences.length === 0) {
      throw new TypeError('DevIssuer needs at least one audience');
    }
    this.clock = options.clock ?? Date.now;
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: Error) => {
        this.logger.error(`Unhandled error while serving ${request.method} ${request.url}: ${error.message}`);
        if (!response.headersSent) {
          this.sendJson(response, 500, { error: 'server_error', error_description: 'Internal error' });
        }
      });
    });
  }

  /** Registers the clients, starts listening, and resolves once the issuer is reachable. */
  static async start(options: DevIssuerOptions): Promise<DevIssuer> {
    const issuer = new DevIssuer(options);
    for (const client of options.clients) {
      await issuer.clients.register(client);
    }
    await new Promise<void>((resolve, reject) => {
      issuer.server.once('error', reject);
      issuer.server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
    });
    const { port } = issuer.server.address() as AddressInfo;
    const host = options.host === undefined || options.host === '127.0.0.1' ? '127.0.0.1' : options.host;
    issuer.baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`;
    return issuer;
  }

  /** The issuer URL, with the trailing slash Auth0 uses; tokens carry it as `iss`. */
  get url(): string {
    return this.baseUrl;
  }

  get jwksUri(): string {
    return `${this.baseUrl}.well-known/jwks.json`;
  }

  get tokenEndpoint(): string {
    return `${this.baseUrl}oauth/token`;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The audience used when a token request names none. */
  get defaultAudience(): string {
    return this.options.audiences[0];
  }

  /** Name of the custom claim with the company ids. */
  get claimNamespace(): string {
    return this.options.claimNamespace ?? DEFAULT_CLAIM_NAMESPACE;
  }

  /** Replaces the key-set endpoint's behaviour until called again with undefined. */
  setJwksResponder(responder: JwksResponder | undefined): void {
    this.jwksResponder = responder;
  }

  /** Replaces the token endpoint's behaviour until called again with undefined. */
  setTokenResponder(responder: TokenResponder | undefined): void {
    this.tokenResponder = responder;
  }

  /**
   * Builds the claims of an access token for a client, as the token endpoint does.
   *
   * @param client the client id or registered client
   * @param audience the audience; default: the issuer's default audience
   */
  claimsFor(client: string | RegisteredClient, audience = this.defaultAudience): Record<string, unknown> {
    const registered = typeof client === 'string' ? this.clients.find(client) : client;
    if (registered === undefined) {
      throw new Error(`DevIssuer has no client "${String(client)}"`);
    }
    const issuedAt = Math.floor(this.clock() / 1000);
    const claims: Record<string, unknown> = {
      iss: this.url,
      sub: `${registered.clientId}@clients`,
      aud: audience,
      iat: issuedAt,
      exp: issuedAt + (this.options.tokenLifetimeSeconds ?? 86_400),
      azp: registered.clientId,
      gty: 'client-credentials',
      [this.claimNamespace]: {
        companyId: registered.companyId,
        ...(registered.corporationId === undefined ? {} : { corporationId: registered.corporationId }),
      },
    };
    if (registered.scopes !== undefined && registered.scopes.length > 0) {
      claims.scope = registered.scopes.join(' ');
    }
    return claims;
  }

  /** Mints a token for a client without going through HTTP. */
  issueToken(clientId: string, audience?: string): string {
    return this.keys.sign(this.claimsFor(clientId, audience));
  }

  /** Stops listening and closes every open connection. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    this.applyCors(request, response);

    if (path === '/oauth/token' && request.method === 'OPTIONS') {
      response.writeHead(204).end();
      return;
    }
    if (path === '/oauth/token' && request.method === 'POST') {
      await this.handleTokenRequest(request, response);
      return;
    }
    if (path === '/.well-known/jwks.json' && request.method === 'GET') {
      this.jwksRequestCount++;
      if (this.jwksResponder?.(request, response) !== true) {
        this.sendJson(response, 200, this.keys.toJwks(), { 'Cache-Control': 'public, max-age=600' });
      }
      return;
    }
    if (path === '/.well-known/openid-configuration' && request.method === 'GET') {
      this.sendJson(response, 200, this.discoveryDocument());
      return;
    }
    this.sendJson(response, 404, { error: 'not_found', error_description: 'No such endpoint' });
  }

  private async handleTokenRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.tokenRequestCount++;
    if (this.tokenResponder?.(request, response) === true) {
      return;
    }
    try {
      const tokenRequest = await readTokenRequest(request);
      if (tokenRequest.grantType !== 'client_credentials') {
        throw new OAuthError(400, 'unsupported_grant_type', 'Only the client_credentials grant is supported');
      }
      const client = await this.clients.authenticate(tokenRequest.clientId, tokenRequest.clientSecret);
      if (client === undefined) {
        this.logger.debug(`Rejected token request: client authentication failed for "${sanitize(tokenRequest.clientId)}"`);
        throw new OAuthError(401, 'invalid_client', 'Client authentication failed');
      }

      const audience = tokenRequest.audience ?? this.defaultAudience;
      if (!this.options.audiences.includes(audience)) {
        throw new OAuthError(403, 'access_denied', 'Service not found for the requested audience');
      }
      if (client.audiences !== undefined && !client.audiences.includes(audience)) {
        throw new OAuthError(403, 'unauthorized_client', 'The client is not authorized to access this audience');
      }
      const requestedScopes = tokenRequest.scope?.split(' ').filter((scope) => scope !== '');
      const grantedScopes = client.scopes ?? [];
      if (requestedScopes !== undefined && !requestedScopes.every((scope) => grantedScopes.includes(scope))) {
        throw new OAuthError(403, 'access_denied', 'The client is not granted every requested scope');
      }

      const claims = this.claimsFor(client, audience);
      if (requestedScopes !== undefined && requestedScopes.length > 0) {
        claims.scope = requestedScopes.join(' ');
      }
      const body: Record<string, unknown> = {
        access_token: this.keys.sign(claims),
        token_type: 'Bearer',
        expires_in: (claims.exp as number) - (claims.iat as number),
      };
      if (typeof claims.scope === 'string') {
        body.scope = claims.scope;
      }
      this.logger.debug(`Issued a token to client ${client.clientId} for ${audience}`);
      this.sendJson(response, 200, body, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    } catch (error) {
      if (!(error instanceof OAuthError)) {
        throw error;
      }
      const headers: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
      if (error.status === 401 && request.headers.authorization !== undefined) {
        headers['WWW-Authenticate'] = 'Basic realm="oauth"';
      }
      if (error.closeConnection) {
        headers.Connection = 'close';
      }
      this.sendJson(response, error.status, error.toJSON(), headers);
    }
  }

  private discoveryDocument(): Record<string, unknown> {
    return {
      issuer: this.url,
      token_endpoint: this.tokenEndpoint,
      jwks_uri: this.jwksUri,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['token'],
      subject_types_supported: ['public'],
    };
  }

  private applyCors(request: IncomingMessage, response: ServerResponse): void {
    const allowed = this.options.corsOrigins;
    const origin = request.headers.origin;
    if (allowed === undefined || origin === undefined) {
      return;
    }
    if (allowed === '*' || allowed.includes(origin)) {
      response.setHeader('Access-Control-Allow-Origin', allowed === '*' ? '*' : origin);
      response.setHeader('Vary', 'Origin');
      response.setHeader('Access-Control-Allow-Methods', 'POST, GET, OPTIONS');
      response.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-requested-with');
      response.setHeader('Access-Control-Max-Age', '600');
    }
  }

  private sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      ...headers,
    });
    response.end(text);
  }
}

/** Makes a client-supplied value safe for one log line: printable ASCII, at most 64 characters. */
function sanitize(value: string): string {
  return value.replace(/[^\x20-\x7e]/g, '?').slice(0, 64);
}
