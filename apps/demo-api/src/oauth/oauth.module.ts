import { DynamicModule, Module } from '@nestjs/common';
import { ThrottlerModule } from '@nestjs/throttler';
import { FailedAttemptStore } from './failed-attempt.store';
import { FAILED_TOKEN_REQUESTS, FAILED_TOKEN_REQUESTS_PER_CLIENT, FailedAttemptsGuard } from './failed-attempts.guard';
import { FailedAttemptsInterceptor } from './failed-attempts.interceptor';
import { JsonContentTypeGuard } from './json-content-type.guard';
import { OAuthTokenController } from './oauth-token.controller';
import { OAuthTokenService } from './oauth-token.service';
import { resolveTokenEndpointConfig, TOKEN_ENDPOINT_CONFIG, TokenEndpointSettings } from './token-endpoint.settings';

/**
 * The Cobee-style token endpoint, `POST /oauth/token`, with limits on failed attempts per
 * client id. By default, once a client id has 5 failed attempts from one source address
 * within a sliding 60-second window, its next attempt from that address gets 429 with
 * `Retry-After` and that address is blocked for the client id for 60 seconds, without
 * contacting the issuer. 50 failed attempts for a client id from all addresses together block
 * it everywhere for the same time. Successful requests, validation errors and issuer outages
 * do not count.
 */
@Module({})
export class OAuthModule {
  /**
   * @param issuerUrl the issuer of `CobeeAuthModule`; its token endpoint is `<issuerUrl>oauth/token` unless the settings name another
   * @param audience the API identifier requested for every token
   */
  static forRoot(issuerUrl: string, audience: string, settings?: TokenEndpointSettings): DynamicModule {
    const config = resolveTokenEndpointConfig(issuerUrl, audience, settings);
    const store = new FailedAttemptStore(config.clock);
    return {
      module: OAuthModule,
      imports: [
        ThrottlerModule.forRoot({
          throttlers: [
            {
              name: FAILED_TOKEN_REQUESTS,
              limit: config.maxFailedAttempts,
              ttl: config.failedAttemptWindowMs,
              blockDuration: config.blockDurationMs,
            },
            {
              name: FAILED_TOKEN_REQUESTS_PER_CLIENT,
              limit: config.maxFailedAttemptsPerClient,
              ttl: config.failedAttemptWindowMs,
              blockDuration: config.blockDurationMs,
            },
          ],
          storage: store,
          // X-RateLimit-Remaining would tell anyone how many failures a client id has left.
          setHeaders: false,
        }),
      ],
      controllers: [OAuthTokenController],
      providers: [
        { provide: TOKEN_ENDPOINT_CONFIG, useValue: config },
        { provide: FailedAttemptStore, useValue: store },
        OAuthTokenService,
        JsonContentTypeGuard,
        FailedAttemptsGuard,
        FailedAttemptsInterceptor,
      ],
    };
  }
}
