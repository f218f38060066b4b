import { ArgumentMetadata, BadRequestException, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * Global validation: unknown properties refused, types transformed, every field error listed in
 * `details`. A body that is not a JSON object (null, an array, a string) is refused before it.
 */
@Injectable()
export class GatewayValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      stopAtFirstError: false,
      exceptionFactory: (errors) => {
        const details = flatten(errors);
        return new BadRequestException({ error: 'VALIDATION_FAILED', message: details.join('; ') || 'Invalid request', details });
      },
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && metadata.metatype && metadata.metatype !== Object && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new BadRequestException({ error: 'VALIDATION_FAILED', message: 'Request body must be a JSON object', details: ['body must be a JSON object'] });
    }
    return super.transform(value, metadata);
  }
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => (parent ? `${path}: ${message}` : message));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
