import { IsIn, IsISO8601, Matches } from 'class-validator';
import { EXCHANGE_ID, Timeframe, TIMEFRAMES } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../validation/is-market-symbol.decorator';

export const CANDLE_SOURCES = ['replay', 'ccxt'] as const;

/** A candle that will not change any more; published after it is stored and cached. */
export class MarketCandleClosedPayload {
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(TIMEFRAMES) timeframe: Timeframe;
  @IsISO8601({ strict: true }) openTime: string;
  @IsISO8601({ strict: true }) closeTime: string;
  @IsDecimalString({ sign: 'positive' }) open: string;
  @IsDecimalString({ sign: 'positive' }) high: string;
  @IsDecimalString({ sign: 'positive' }) low: string;
  @IsDecimalString({ sign: 'positive' }) close: string;
  @IsDecimalString({ sign: 'nonNegative' }) volume: string;
  @IsIn(CANDLE_SOURCES) source: (typeof CANDLE_SOURCES)[number];
}
