import { IsIn, IsISO8601, IsString, IsUUID, Length, ValidateIf } from 'class-validator';
import { TRADING_STATES, TradingState } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';

export const RISK_SCOPES = ['bot', 'user', 'global'] as const;
export type RiskScope = (typeof RISK_SCOPES)[number];

export const RISK_LIMIT_TYPES = [
  'MAX_POSITION_SIZE',
  'MAX_POSITION_VALUE',
  'MAX_EXPOSURE',
  'MAX_OPEN_ORDERS',
  'MAX_DAILY_LOSS',
  'MAX_WEEKLY_LOSS',
  'DAILY_PROFIT_TARGET',
  'MAX_DRAWDOWN',
  'MAX_ORDER_RATE',
  'KILL_SWITCH',
] as const;
export type RiskLimitType = (typeof RISK_LIMIT_TYPES)[number];

export const RISK_ACTIONS = ['ALERT', 'BLOCK_ORDERS', 'REDUCE_ONLY', 'HALT', 'CLOSE_POSITIONS'] as const;
export type RiskAction = (typeof RISK_ACTIONS)[number];

/** A limit was crossed; `state` is the trading state of the scope after the breach. */
export class RiskLimitBreachedPayload {
  @IsUUID() breachId: string;
  @IsIn(RISK_SCOPES) scope: RiskScope;
  /** Bot or user id; null for the global scope. */
  @ValidateIf((o: RiskLimitBreachedPayload) => o.scope !== 'global' || o.scopeId !== null) @IsUUID() scopeId: string | null;
  /** Owner of the bot or the user itself; null for the global scope. */
  @ValidateIf((_, v) => v !== null) @IsUUID() userId: string | null;
  @IsIn(RISK_LIMIT_TYPES) limitType: RiskLimitType;
  /** Measured value, in the limit's unit (quote currency, percent, count). */
  @IsDecimalString() current: string;
  @IsDecimalString() limit: string;
  @IsIn(RISK_ACTIONS) action: RiskAction;
  @IsIn(TRADING_STATES) state: TradingState;
  @IsString() @Length(0, 500) message: string;
  @IsISO8601({ strict: true }) breachedAt: string;
}
