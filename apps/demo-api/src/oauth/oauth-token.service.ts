import { BadGatewayException, Inject, Injectable, Logger } from '@nestjs/common';
import {
  InvalidTokenResponseError,
  requestClientCredentialsToken,
  TokenEndpointUnavailableError,
  TokenRequestRejectedError,
} from '@cobee/auth/client';
import { InvalidCredentialsException, IssuerUnavailableException } from './token-endpoint.exceptions';
import { TOKEN_ENDPOINT_CONFIG, TokenEndpointConfig } from './token-endpoint.settings';
import { TokenResponseBody } from './token-request.dto';

/**
 * Exchanges a partner's client id and secret for an access token from the configured issuer,
 * with the client-credentials grant. It stores nothing: every call is one request to the issuer.
 */
@Injectable()
export class OAuthTokenService {
  private readonly logger = new Logger(OAuthTokenService.name);

  constructor(@Inject(TOKEN_ENDPOINT_CONFIG) private readonly config: TokenEndpointConfig) {}

  /**
   * Requests a token for the client.
   *
   * @throws InvalidCredentialsException when the issuer rejects the credentials (401 or 403)
   * @throws IssuerUnavailableException when the issuer cannot be reached, times out, or responds 429 or 5xx
   * @throws BadGatewayException when the issuer rejects the request for another reason or returns an invalid response
   */
  async issueToken(clientId: string, clientSecret: string): Promise<TokenResponseBody> {
    try {
      const grant = await requestClientCredentialsToken({
        tokenEndpoint: this.config.issuerTokenUrl,
        clientId,
        clientSecret,
        audience: this.config.audience,
        scope: undefined,
        endpointStyle: 'oauth2',
        authMethod: 'client_secret_post',
        requestTimeoutMs: this.config.issuerTimeoutMs,
        maxResponseBytes: 65_536,
        fetch: (...args) => fetch(...args),
        clock: this.config.clock,
      });
      this.logger.debug(`Issued a token to client ${clientId}, valid for ${grant.expiresInSeconds} s`);
      return { accessToken: grant.accessToken, tokenType: 'Bearer', expiresIn: Math.floor(grant.expiresInSeconds) };
    } catch (error) {
      throw this.toHttpException(clientId, error);
    }
  }

  private toHttpException(clientId: string, error: unknown): unknown {
    if (error instanceof TokenRequestRejectedError && (error.status === 401 || error.status === 403)) {
      this.logger.debug(`Rejected a token request for client ${clientId}: the issuer responded ${error.status} ${error.oauthError ?? ''}`.trimEnd());
      return new InvalidCredentialsException();
    }
    if (error instanceof TokenRequestRejectedError || error instanceof InvalidTokenResponseError) {
      this.logger.error(`Token request for client ${clientId} failed: ${error.message} Check the issuer URL and the audience.`);
      return new BadGatewayException('The token issuer rejected the request');
    }
    if (error instanceof TokenEndpointUnavailableError) {
      this.logger.warn(`Token request for client ${clientId} failed: ${error.detail}`);
      return new IssuerUnavailableException(error.retryAfterMs === undefined ? undefined : Math.ceil(error.retryAfterMs / 1000));
    }
    return error;
  }
}
