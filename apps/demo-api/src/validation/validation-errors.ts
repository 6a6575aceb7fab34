import { BadRequestException, ValidationError } from '@nestjs/common';

/** Property names echoed in error responses; anything else is a name the client made up and may hold data. */
const ECHOABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/**
 * Builds the 400 response for failed DTO validation: `message` lists each problem and
 * `fields` the invalid properties. A property name that is not a plain identifier is
 * reported as `(unnamed field)`, because forbidden unknown properties come straight from the
 * request: a body sent as form data, for example, arrives as one property whose name is the
 * whole JSON text, secrets included.
 */
export function validationErrorResponse(errors: ValidationError[]): BadRequestException {
  const messages: string[] = [];
  const fields: string[] = [];
  for (const error of errors) {
    const echoable = ECHOABLE_NAME.test(error.property);
    fields.push(echoable ? error.property : '(unnamed field)');
    if (!echoable) {
      messages.push('The request has a property with an invalid name');
      continue;
    }
    messages.push(...Object.values(error.constraints ?? { invalid: `${error.property} is invalid` }));
  }
  return new BadRequestException({ statusCode: 400, error: 'Bad Request', message: messages, fields });
}
