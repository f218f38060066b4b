import { ValidationError, ValidationPipe } from '@nestjs/common';
import { RpcDomainError } from './errors/rpc-domain.error';

/** ValidationPipe for RPC handlers: an invalid request is answered as a 400 VALIDATION_FAILED with the reasons. */
export function createRpcValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    exceptionFactory: (errors) => new RpcDomainError(400, 'VALIDATION_FAILED', 'Invalid request', flatten(errors)),
  });
}

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => (parent ? `${path}: ${message}` : message));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
