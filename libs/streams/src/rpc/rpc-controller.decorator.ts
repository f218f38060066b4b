import { applyDecorators, Controller, UseFilters, UsePipes } from '@nestjs/common';
import { RpcExceptionFilter, RpcErrorMapper } from './rpc-exception.filter';
import { createRpcValidationPipe } from './rpc-validation.pipe';

/**
 * Marks a class whose @RpcHandler methods answer requests: validated requests (a bad one is a 400
 * error body) and errors serialized as RpcErrorBody. Bound per controller rather than with
 * useGlobalFilters, because a microservice connected to an HTTP app (a hybrid app) binds its
 * handlers as soon as it is connected, before any global filter could be added.
 */
export function RpcController(mapError?: RpcErrorMapper): ClassDecorator {
  return applyDecorators(Controller(), UseFilters(new RpcExceptionFilter(mapError)), UsePipes(createRpcValidationPipe()));
}
