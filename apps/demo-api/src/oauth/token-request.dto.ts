import { IsString, Length, Matches } from 'class-validator';

/** Shape of a client id: Auth0 ids are 32 letters and digits; the dev issuer also allows ".", "_" and "-". */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

/** Body of `POST /oauth/token`. Unknown fields are rejected by the global ValidationPipe. */
export class TokenRequestDto {
  @IsString()
  @Matches(CLIENT_ID_PATTERN, { message: 'clientId must be 1 to 128 letters, digits, ".", "_" or "-"' })
  clientId!: string;

  @IsString()
  @Length(1, 512)
  @Matches(/^[\x21-\x7e]+$/, { message: 'clientSecret must be printable ASCII without spaces' })
  clientSecret!: string;
}

/** Body of a successful `POST /oauth/token`. */
export interface TokenResponseBody {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  /** Lifetime of the token, in seconds. */
  readonly expiresIn: number;
}
