import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { RpcRemoteError } from './errors/rpc-remote.error';
import { RpcTimeoutError } from './errors/rpc-timeout.error';
import { RpcUnavailableError } from './errors/rpc-unavailable.error';

export interface RpcHttpErrorBody {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly requestId: string;
  readonly details?: unknown;
}

interface HttpRequestLike {
  id?: unknown;
  headers?: Record<string, string | string[] | undefined>;
}

interface HttpReplyLike {
  status(code: number): { send(body: unknown): unknown };
}

/**
 * Gateway side: answers an RPC failure as HTTP. A service's error keeps its status and code;
 * a timeout is a 504, an undeliverable request a 503.
 */
@Catch(RpcRemoteError, RpcTimeoutError, RpcUnavailableError)
export class RpcErrorHttpFilter implements ExceptionFilter {
  catch(exception: RpcRemoteError | RpcTimeoutError | RpcUnavailableError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const body = toHttpErrorBody(exception, requestIdOf(http.getRequest<HttpRequestLike>()));
    http.getResponse<HttpReplyLike>().status(body.statusCode).send(body);
  }
}

export function toHttpErrorBody(exception: RpcRemoteError | RpcTimeoutError | RpcUnavailableError, requestId: string): RpcHttpErrorBody {
  if (exception instanceof RpcRemoteError) {
    return {
      statusCode: exception.status,
      error: exception.code,
      message: exception.message,
      requestId,
      ...(exception.details !== undefined && { details: exception.details }),
    };
  }
  if (exception instanceof RpcTimeoutError) {
    return { statusCode: 504, error: 'GATEWAY_TIMEOUT', message: exception.message, requestId };
  }
  return { statusCode: 503, error: 'SERVICE_UNAVAILABLE', message: exception.message, requestId };
}

function requestIdOf(request: HttpRequestLike): string {
  const header = request.headers?.['x-request-id'];
  if (typeof header === 'string' && header.length > 0) return header;
  if (typeof request.id === 'string' && request.id.length > 0) return request.id;
  return randomUUID();
}
