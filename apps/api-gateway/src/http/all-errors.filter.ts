import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { RpcRemoteError, RpcTimeoutError, RpcUnavailableError, toHttpErrorBody } from '@trading/streams';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody, requestIdOf, statusCodeName } from './error-body';
import { isOpsRoute } from './ops-routes';

/**
 * Every failure of a route becomes `{ statusCode, error, message, requestId }`: HTTP exceptions keep
 * their status, a service's RPC error its status and code, a timeout is 504, an unreachable service
 * 503. Anything else is logged once with the request id and answered 500 without internals.
 */
@Catch()
export class AllErrorsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllErrorsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = requestIdOf(request);
    if (exception instanceof HttpException && isOpsRoute(request)) {
      // Health probes keep their own body (terminus' per-dependency status).
      reply.status(exception.getStatus()).send(exception.getResponse());
      return;
    }
    const body = this.toBody(exception, requestId);
    reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown, requestId: string): ErrorBody {
    if (exception instanceof RpcRemoteError || exception instanceof RpcTimeoutError || exception instanceof RpcUnavailableError) {
      if (exception instanceof RpcRemoteError && exception.status >= 500) this.logger.error({ requestId, pattern: exception.pattern, code: exception.code }, 'service answered with an error');
      return toHttpErrorBody(exception, requestId);
    }
    if (exception instanceof HttpException) return fromHttpException(exception, requestId);
    const error = exception instanceof Error ? exception : new Error(String(exception));
    this.logger.error({ requestId, err: { type: error.name, message: error.message, stack: error.stack } }, 'unhandled error');
    return { statusCode: 500, error: 'INTERNAL_ERROR', message: 'Internal error', requestId };
  }
}

function fromHttpException(exception: HttpException, requestId: string): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return { statusCode: status, error: statusCodeName(status), message: response, requestId };
  const fields = response as { message?: unknown; error?: unknown; details?: unknown };
  const message = Array.isArray(fields.message) ? fields.message.join('; ') : typeof fields.message === 'string' ? fields.message : exception.message;
  const code = typeof fields.error === 'string' && /^[A-Z][A-Z0-9_]*$/.test(fields.error) ? fields.error : statusCodeName(status);
  return { statusCode: status, error: code, message, requestId, ...(fields.details !== undefined && { details: fields.details }) };
}
