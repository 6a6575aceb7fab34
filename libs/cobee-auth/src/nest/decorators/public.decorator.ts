import { SetMetadata } from '@nestjs/common';
import { PUBLIC_ROUTE_METADATA } from '../cobee-auth.tokens';

/** Marks a route or controller that needs no token, when the guards are registered globally. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE_METADATA, true);
