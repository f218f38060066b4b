import { isRpcErrorBody, RpcPattern, RpcRequest, RpcResponse } from '@trading/contracts';
import { lastValueFrom, throwError, timeout } from 'rxjs';
import { RpcConnectionOptions } from './rpc-connection';
import { RpcRedisClientProxy } from './rpc-redis.client-proxy';
import { RpcRemoteError } from './errors/rpc-remote.error';
import { RpcTimeoutError } from './errors/rpc-timeout.error';
import { RpcUnavailableError } from './errors/rpc-unavailable.error';

export interface RpcClientOptions extends RpcConnectionOptions {
  /** Used when a call gives no `timeoutMs`. */
  readonly defaultTimeoutMs?: number;
}

export interface RpcCallOptions {
  readonly timeoutMs?: number;
}

/**
 * Typed request/response to the services over Nest's Redis transport. Always settles: with the
 * response, an RpcRemoteError (the service's error body), an RpcTimeoutError, or an
 * RpcUnavailableError (not delivered).
 */
export class RpcClient {
  private readonly proxy: RpcRedisClientProxy;
  private readonly defaultTimeoutMs: number;

  constructor(options: RpcClientOptions) {
    this.proxy = new RpcRedisClientProxy(options);
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 5000;
    this.proxy.on('error', () => undefined);
  }

  async send<P extends RpcPattern>(pattern: P, request: RpcRequest<P>, options: RpcCallOptions = {}): Promise<RpcResponse<P>> {
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    try {
      return await lastValueFrom(
        this.proxy
          .send<RpcResponse<P>, RpcRequest<P>>(pattern, request)
          .pipe(timeout({ first: timeoutMs, with: () => throwError(() => new RpcTimeoutError(pattern, timeoutMs)) })),
        { defaultValue: undefined as unknown as RpcResponse<P> },
      );
    } catch (err) {
      throw toRpcClientError(pattern, err);
    }
  }

  async close(): Promise<void> {
    await this.proxy.close();
  }
}

export function toRpcClientError(pattern: string, err: unknown): Error {
  if (err instanceof RpcTimeoutError || err instanceof RpcUnavailableError || err instanceof RpcRemoteError) return err;
  if (isRpcErrorBody(err)) return new RpcRemoteError(pattern, err);
  if (err instanceof Error) return new RpcUnavailableError(pattern, err.message);
  if (typeof err === 'string') return new RpcUnavailableError(pattern, err);
  const message = typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : 'unknown error';
  return new RpcRemoteError(pattern, { status: 500, code: 'REMOTE_ERROR', message });
}
