import type { RpcErrorBody } from '@trading/contracts';
import { InvalidStrategyParamsError, UnknownStrategyError } from '@trading/strategies';

/** An error the caller can act on, with an HTTP status and a stable code. */
export class StrategyDomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends StrategyDomainError {
  constructor(what: 'BOT' | 'STRATEGY' | 'BACKTEST' | 'DATASET', id: string) {
    super(404, `${what}_NOT_FOUND`, `${what.toLowerCase()} ${id} not found`);
  }
}

export class ConflictError extends StrategyDomainError {
  constructor(code: string, message: string) {
    super(409, code, message);
  }
}

export class InvalidRequestError extends StrategyDomainError {
  constructor(code: string, message: string, details?: unknown) {
    super(400, code, message, details);
  }
}

interface PgError {
  code?: string;
  constraint?: string;
  driverError?: { code?: string; constraint?: string };
}

/** Maps domain errors, strategy-parameter errors and PostgreSQL constraint violations to RPC error bodies. */
export function mapStrategyErrors(error: unknown): RpcErrorBody | undefined {
  if (error instanceof StrategyDomainError) {
    return { status: error.status, code: error.code, message: error.message, ...(error.details !== undefined && { details: error.details }) };
  }
  if (error instanceof InvalidStrategyParamsError) return { status: 400, code: 'INVALID_STRATEGY_PARAMS', message: error.message, details: error.problems };
  if (error instanceof UnknownStrategyError) return { status: 400, code: 'UNKNOWN_STRATEGY', message: error.message };
  const pg = error as PgError;
  const code = pg?.driverError?.code ?? pg?.code;
  const constraint = pg?.driverError?.constraint ?? pg?.constraint;
  if (code === '23505' && constraint === 'uq_bots_user_name') return { status: 409, code: 'BOT_NAME_TAKEN', message: 'you already have a bot with this name' };
  if (code === '23514') return { status: 400, code: 'INVALID_BOT_SETTINGS', message: `settings refused by rule ${constraint ?? '(unknown)'}`, details: { constraint } };
  return undefined;
}
