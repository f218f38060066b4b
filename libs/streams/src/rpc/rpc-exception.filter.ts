import { ArgumentsHost, Catch, HttpException, HttpStatus, Logger, RpcExceptionFilter as NestRpcExceptionFilter } from '@nestjs/common';
import type { RpcErrorBody } from '@trading/contracts';
import { Observable, throwError } from 'rxjs';
import { RpcDomainError } from './errors/rpc-domain.error';

/** Maps a service's own domain errors to error bodies; return undefined for "not mine". */
export type RpcErrorMapper = (error: unknown) => RpcErrorBody | undefined;

/**
 * Service side: turns whatever a handler throws into the RpcErrorBody the caller receives.
 * RpcDomainError and mapped domain errors keep their status and code; HttpExceptions (e.g. from a
 * pipe) keep their status; anything else is logged once and becomes a 500 without internals.
 */
@Catch()
export class RpcExceptionFilter implements NestRpcExceptionFilter<unknown> {
  private readonly logger = new Logger(RpcExceptionFilter.name);

  constructor(private readonly mapError?: RpcErrorMapper) {}

  catch(exception: unknown, host: ArgumentsHost): Observable<never> {
    return throwError(() => this.toBody(exception, host));
  }

  toBody(exception: unknown, host?: ArgumentsHost): RpcErrorBody {
    if (exception instanceof RpcDomainError) return exception.toBody();
    const mapped = this.mapError?.(exception);
    if (mapped) return mapped;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'object' && response !== null && 'message' in response ? response.message : exception.message;
      return Array.isArray(message)
        ? { status, code: HttpStatus[status] ?? 'ERROR', message: 'Invalid request', details: message }
        : { status, code: HttpStatus[status] ?? 'ERROR', message: String(message) };
    }
    const pattern = host?.getType() === 'rpc' ? host.switchToRpc().getContext<{ getChannel?(): string }>()?.getChannel?.() : undefined;
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error(`RPC handler ${pattern ?? ''} failed: ${error.message}`, error.stack);
    return { status: 500, code: 'INTERNAL', message: 'Internal error' };
  }
}
