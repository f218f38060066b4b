/**
 * How a service's error travels back over RPC. `status` is the HTTP status the gateway answers
 * with; `code` is a stable machine-readable name (BOT_NOT_FOUND, VALIDATION_FAILED, ...).
 */
export interface RpcErrorBody {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

export function isRpcErrorBody(value: unknown): value is RpcErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const body = value as Record<string, unknown>;
  return (
    Number.isInteger(body.status) &&
    (body.status as number) >= 400 &&
    (body.status as number) <= 599 &&
    typeof body.code === 'string' &&
    typeof body.message === 'string'
  );
}
