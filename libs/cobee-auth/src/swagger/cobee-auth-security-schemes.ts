import { DocumentBuilder } from '@nestjs/swagger';

/** Name of the HTTP bearer security scheme in the OpenAPI document. */
export const COBEE_BEARER_SCHEME = 'bearer';

/** Name of the OAuth 2.0 client-credentials security scheme in the OpenAPI document. */
export const COBEE_OAUTH2_SCHEME = 'oauth2';

/** Options of {@link addCobeeAuthSecuritySchemes}. */
export interface CobeeAuthSecuritySchemeOptions {
  /** Token endpoint of the issuer, for example `https://tenant.eu.auth0.com/oauth/token`. */
  tokenUrl: string;
  /** Scopes the API defines, with a description each. Default: none. */
  scopes?: Readonly<Record<string, string>>;
}

/**
 * Adds the two security schemes that `@ApiCobeeAuth()` refers to: an HTTP bearer scheme for a
 * token pasted by hand, and an OAuth 2.0 client-credentials scheme with which Swagger UI
 * requests a token from `tokenUrl`. The issuer must allow the documentation page's origin
 * (CORS) for the second one to work in a browser.
 */
export function addCobeeAuthSecuritySchemes(builder: DocumentBuilder, options: CobeeAuthSecuritySchemeOptions): DocumentBuilder {
  return builder
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'An access token from the client-credentials grant' },
      COBEE_BEARER_SCHEME,
    )
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Client-credentials grant against the token issuer',
        flows: { clientCredentials: { tokenUrl: options.tokenUrl, scopes: { ...options.scopes } } },
      },
      COBEE_OAUTH2_SCHEME,
    );
}
