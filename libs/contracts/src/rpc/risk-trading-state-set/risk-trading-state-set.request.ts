import { IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { TRADING_STATES, TradingState } from '../../common/trading-vocabulary';
import { RiskScopeRequest } from '../risk-views/risk-views';

/** Sets a scope's trading state; HALTED on the global scope is the kill switch (admin only). */
export class RiskTradingStateSetRequest extends RiskScopeRequest {
  @IsIn(TRADING_STATES) state: TradingState;
  @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500) reason: string | null;
}
