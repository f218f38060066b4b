import type { RpcErrorBody } from '@trading/contracts';

/**
 * Thrown by a service's RPC handler (or mapped from its own domain errors) to answer the caller
 * with an HTTP status and a stable code, e.g. `new RpcDomainError(404, 'BOT_NOT_FOUND', 'Bot not found')`.
 */
export class RpcDomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = RpcDomainError.name;
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new Error(`RpcDomainError status must be an HTTP error status, got ${status}`);
    }
  }

  toBody(): RpcErrorBody {
    return { status: this.status, code: this.code, message: this.message, ...(this.details !== undefined && { details: this.details }) };
  }
}
