/** An OAuth 2.0 error response (RFC 6749 section 5.2) in Auth0's shape: `{ error, error_description }`. */
export class OAuthError extends Error {
  /**
   * @param status HTTP status of the response
   * @param error the OAuth error code, for example `invalid_client`
   * @param description a human-readable explanation, sent as `error_description`
   */
  /**
   * @param closeConnection close the connection after the response, for a request whose body was not read to the end
   */
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly closeConnection = false,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}
