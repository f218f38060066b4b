import { Type } from 'class-transformer';
import { IsIn, IsISO8601, IsNumber, IsObject, IsString, IsUUID, Length, Matches, Max, Min, ValidateIf, ValidateNested } from 'class-validator';
import { EXCHANGE_ID, Timeframe, TIMEFRAMES } from '../../common/trading-vocabulary';
import { IsDecimalString } from '../../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../../validation/is-market-symbol.decorator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/**
 * Queues a backtest. Candles come from a shipped dataset (`dataset`) or from market-data
 * (`exchange`/`symbol`/`timeframe`/`from`/`to`). The strategy is a bot's (botId: its strategy,
 * params, capital and exits) or a catalog strategy (strategyId + params).
 */
export class StrategyBacktestsRunRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @ValidateIf((_, v) => v !== undefined) @IsUUID() botId?: string;
  @ValidateIf((o: StrategyBacktestsRunRequest) => o.botId === undefined) @IsUUID() strategyId?: string;
  @ValidateIf((_, v) => v !== undefined) @IsObject() params?: Record<string, unknown>;
  @ValidateIf((_, v) => v !== undefined) @IsString() @Length(1, 100) dataset?: string;
  @ValidateIf((o: StrategyBacktestsRunRequest) => o.dataset === undefined) @Matches(EXCHANGE_ID) exchange?: string;
  @ValidateIf((o: StrategyBacktestsRunRequest) => o.dataset === undefined) @IsMarketSymbol() symbol?: string;
  @ValidateIf((o: StrategyBacktestsRunRequest) => o.dataset === undefined) @IsIn(TIMEFRAMES) timeframe?: Timeframe;
  @ValidateIf((o: StrategyBacktestsRunRequest) => o.dataset === undefined) @IsISO8601({ strict: true }) from?: string;
  @ValidateIf((o: StrategyBacktestsRunRequest) => o.dataset === undefined) @IsISO8601({ strict: true }) to?: string;
  @ValidateIf((_, v) => v !== undefined) @IsDecimalString({ sign: 'positive' }) initialCapital?: string;
  /** Fraction of notional per fill (0.001 = 0.1 %). */
  @ValidateIf((_, v) => v !== undefined) @IsDecimalString({ sign: 'nonNegative' }) commission?: string;
  @ValidateIf((_, v) => v !== undefined) @IsNumber() @Min(0) @Max(10_000) slippageBps?: number;
  @ValidateIf((_, v) => v !== undefined) @IsIn(['next_open', 'close']) fill?: 'next_open' | 'close';
}
