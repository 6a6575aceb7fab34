import { Body, Controller, Header, HttpCode, Post, Res, UseGuards, UseInterceptors } from '@nestjs/common';
import { Public } from '@cobee/auth';
import { FailedAttemptsGuard } from './failed-attempts.guard';
import { FailedAttemptsInterceptor } from './failed-attempts.interceptor';
import { JsonContentTypeGuard } from './json-content-type.guard';
import { OAuthTokenService } from './oauth-token.service';
import { IssuerUnavailableException } from './token-endpoint.exceptions';
import { TokenRequestDto, TokenResponseBody } from './token-request.dto';

/** The part of Express's response and Fastify's reply this controller uses; both have `header()`. */
interface ResponseHeaders {
  header(name: string, value: string): unknown;
}

/**
 * `POST /oauth/token`, the Cobee partner API's own token endpoint: it takes
 * `{ "clientId", "clientSecret" }` as JSON and returns `{ "accessToken", "tokenType", "expiresIn" }`
 * from the configured issuer. It is public, because the caller has no token yet.
 */
@Controller('oauth')
@Public()
@UseGuards(JsonContentTypeGuard, FailedAttemptsGuard)
@UseInterceptors(FailedAttemptsInterceptor)
export class OAuthTokenController {
  constructor(private readonly tokens: OAuthTokenService) {}

  @Post('token')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  async issueToken(
    @Body() body: TokenRequestDto,
    @Res({ passthrough: true }) response: ResponseHeaders,
  ): Promise<TokenResponseBody> {
    try {
      return await this.tokens.issueToken(body.clientId, body.clientSecret);
    } catch (error) {
      if (error instanceof IssuerUnavailableException && error.retryAfterSeconds !== undefined) {
        response.header('Retry-After', String(error.retryAfterSeconds));
      }
      throw error;
    }
  }
}
