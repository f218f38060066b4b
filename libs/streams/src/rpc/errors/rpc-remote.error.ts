import type { RpcErrorBody } from '@trading/contracts';

/** The service answered with an error body; `status` is what the gateway answers with. */
export class RpcRemoteError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details?: unknown;

  constructor(
    readonly pattern: string,
    body: RpcErrorBody,
  ) {
    super(body.message);
    this.name = RpcRemoteError.name;
    this.status = body.status;
    this.code = body.code;
    this.details = body.details;
  }
}
