import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';

/** Deepest nesting of objects and arrays accepted in a body, query or parameter. */
export const MAX_NESTING_DEPTH = 32;

/**
 * Rejects values nested deeper than {@link MAX_NESTING_DEPTH} with 400. It runs before the
 * ValidationPipe, whose recursive walk (and class-transformer's) overflows the call stack on
 * a few kilobytes of `[[[[...]]]]` and would otherwise end in a 500. The check itself walks
 * the value with an explicit stack, so it cannot overflow.
 */
@Injectable()
export class NestingDepthPipe implements PipeTransform {
  transform(value: unknown): unknown {
    const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
    while (pending.length > 0) {
      const { value: current, depth } = pending.pop() as { value: unknown; depth: number };
      if (typeof current !== 'object' || current === null) {
        continue;
      }
      if (depth >= MAX_NESTING_DEPTH) {
        throw new BadRequestException(`The request nests objects or arrays deeper than ${MAX_NESTING_DEPTH} levels`);
      }
      for (const child of Object.values(current)) {
        pending.push({ value: child, depth: depth + 1 });
      }
    }
    return value;
  }
}
