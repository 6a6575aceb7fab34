import { CanActivate, ExecutionContext, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';

/**
 * Requires `Content-Type: application/json` before anything reads the body. Running as a
 * guard, it rejects the request with 415 before the validation pipe, whose errors for a body of another type
 * could quote the body's content.
 */
@Injectable()
export class JsonContentTypeGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const contentType = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers['content-type'];
    const mediaType = (typeof contentType === 'string' ? contentType : '').split(';')[0].trim().toLowerCase();
    if (mediaType !== 'application/json') {
      throw new UnsupportedMediaTypeException('The request body must be JSON (Content-Type: application/json)');
    }
    return true;
  }
}
