import { createRpcValidationPipe, RpcExceptionFilter } from '@trading/streams';

// Bound on each RPC controller rather than globally: in a hybrid app the microservice registers its
// listeners when connected, before global enhancers could be added to it.
export const rpcErrors = new RpcExceptionFilter();
export const rpcValidation = createRpcValidationPipe();
