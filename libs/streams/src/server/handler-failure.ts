import { RpcException } from '@nestjs/microservices';

/**
 * Nest's RPC exception filter replaces an unknown handler error with "Internal server error"
 * before the transport sees it, but passes an RpcException's object through. `@OnStream`
 * handlers wrap their errors this way, so retries and dead letters carry the real reason.
 */
export function toStreamHandlerException(error: unknown): RpcException {
  if (error instanceof RpcException) return error;
  return new RpcException({ status: 'error', message: describeError(error) });
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
