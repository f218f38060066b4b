import { HttpStatus } from '@nestjs/common';

/** The one error body of the API, whatever failed. */
export interface ErrorBody {
  readonly statusCode: number;
  /** Stable machine-readable code (BAD_REQUEST, VALIDATION_FAILED, API_KEY_NOT_FOUND, ...). */
  readonly error: string;
  readonly message: string;
  readonly requestId: string;
  /** Every field error of a rejected request. */
  readonly details?: unknown;
}

export function statusCodeName(status: number): string {
  return HttpStatus[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'ERROR');
}

/** Request id as the runtime assigned it (X-Request-Id when valid, else a UUID). */
export function requestIdOf(request: { id?: unknown }): string {
  return typeof request.id === 'string' ? request.id : String(request.id ?? '');
}
