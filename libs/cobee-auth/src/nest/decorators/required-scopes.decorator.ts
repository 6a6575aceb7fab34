import { SetMetadata } from '@nestjs/common';
import { REQUIRED_SCOPES_METADATA } from '../cobee-auth.tokens';

const SCOPE_NAME = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/**
 * Requires every listed scope, from the token's `scope` claim or Auth0's `permissions` claim.
 * A token without one of them gets 403 with `WWW-Authenticate: Bearer error="insufficient_scope"`.
 *
 * @throws TypeError at class definition time for an empty list or a scope name with spaces or quotes
 */
export function RequiredScopes(...scopes: string[]): MethodDecorator & ClassDecorator {
  if (scopes.length === 0 || !scopes.every((scope) => SCOPE_NAME.test(scope))) {
    throw new TypeError('@RequiredScopes() needs one or more scope names without spaces, quotes or backslashes.');
  }
  return SetMetadata(REQUIRED_SCOPES_METADATA, Object.freeze([...scopes]));
}
