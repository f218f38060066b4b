import { applyDecorators, UseFilters, UsePipes } from '@nestjs/common';
import { createRpcValidationPipe, RpcExceptionFilter } from '@trading/streams';
import { mapStrategyErrors } from '../errors/strategy-domain.error';

/**
 * On every RPC controller: requests validated (400 VALIDATION_FAILED with reasons), domain errors
 * mapped to their status and code. Per controller rather than global because the microservices of
 * a hybrid app register their handlers when connected, before global settings could apply.
 */
export function RpcBoundary(): ClassDecorator {
  return applyDecorators(UsePipes(createRpcValidationPipe()), UseFilters(new RpcExceptionFilter(mapStrategyErrors)));
}
