import { SetMetadata } from '@nestjs/common';
import { ALLOWED_CONTEXTS_METADATA } from '../cobee-auth.tokens';

/** Non-HTTP transports a handler may opt into. */
export type OptInContextType = 'rpc' | 'ws';

/**
 * Lets the guards pass RPC or WebSocket calls to this handler. Such calls carry no bearer
 * token the guards could check, so the handler must authenticate them itself. Without this
 * decorator the guards deny both transports, and they always deny unknown ones.
 */
export const AllowContexts = (...types: OptInContextType[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ALLOWED_CONTEXTS_METADATA, Object.freeze([...types]));
