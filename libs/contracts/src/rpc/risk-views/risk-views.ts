import { Type } from 'class-transformer';
import { IsIn, IsUUID, ValidateIf, ValidateNested } from 'class-validator';
import type { TradingState } from '../../common/trading-vocabulary';
import { RpcCaller } from '../rpc-caller/rpc-caller';

export const RISK_LIMIT_SCOPES = ['global', 'user', 'bot'] as const;
export type RiskLimitScope = (typeof RISK_LIMIT_SCOPES)[number];

/** The limits risk enforces; units: quote currency (size, exposure), percent (_pct), a ratio (leverage), counts, minutes. */
export const RISK_LIMIT_KINDS = [
  'max_position_size',
  'max_position_pct',
  'max_open_positions',
  'max_exposure',
  'max_leverage',
  'max_daily_loss_pct',
  'max_weekly_loss_pct',
  'max_drawdown_pct',
  'max_trades_per_day',
  'daily_profit_target_pct',
  'cooldown_after_stop_loss_minutes',
] as const;
export type RiskLimitKind = (typeof RISK_LIMIT_KINDS)[number];

/** What a breach of a monitored limit does: block (orders denied, bot halted), reduce (REDUCING), halt, flatten (HALTED + close positions). */
export const RISK_BREACH_ACTIONS = ['block', 'reduce', 'halt', 'flatten'] as const;
export type RiskBreachAction = (typeof RISK_BREACH_ACTIONS)[number];

export interface RiskLimitView {
  readonly id: string;
  readonly scope: RiskLimitScope;
  /** Bot or user id; null for the global scope. */
  readonly scopeId: string | null;
  readonly limitType: RiskLimitKind;
  readonly value: string;
  readonly actionOnBreach: RiskBreachAction;
  readonly warnAtPcts: number[];
  readonly isActive: boolean;
  readonly description: string | null;
  readonly updatedAt: string;
}

export interface TradingStateView {
  readonly scope: RiskLimitScope;
  readonly scopeId: string | null;
  readonly state: TradingState;
  readonly reason: string | null;
  /** "risk" for automatic changes, else the user id that changed it; null when never changed (ACTIVE). */
  readonly changedBy: string | null;
  readonly changedAt: string | null;
}

/** A scope addressed by a caller: user and bot scopes need an id, the global scope none. */
export class RiskScopeRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsIn(RISK_LIMIT_SCOPES) scope: RiskLimitScope;
  @ValidateIf((o: RiskScopeRequest) => o.scope !== 'global' || (o.scopeId !== null && o.scopeId !== undefined)) @IsUUID() scopeId: string | null;
}
