import { MessagePattern, Transport } from '@nestjs/microservices';
import type { RpcPattern, RpcRequest, RpcResponse } from '@trading/contracts';

type RpcHandlerMethod<P extends RpcPattern> = (request: RpcRequest<P>, ...rest: never[]) => RpcResponse<P> | Promise<RpcResponse<P>>;

/**
 * `@MessagePattern(pattern, Transport.REDIS)` typed by RpcMap: the handler must take the pattern's
 * request and return its response, and it binds only to the RPC transport, not to Redis Streams.
 */
export function RpcHandler<P extends RpcPattern>(pattern: P) {
  return <M extends RpcHandlerMethod<P>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<M>): void => {
    MessagePattern(pattern, Transport.REDIS)(target, key, descriptor);
  };
}
