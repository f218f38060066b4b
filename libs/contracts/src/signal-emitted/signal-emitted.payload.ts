import { IsIn, IsISO8601, IsString, IsUUID, Length, Matches } from 'class-validator';
import { EXCHANGE_ID, Timeframe, TIMEFRAMES } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../validation/is-market-symbol.decorator';
import { IsNumberRecord } from '../validation/is-number-record.decorator';

export const SIGNAL_TARGETS = ['long', 'short', 'flat'] as const;
export type SignalTarget = (typeof SIGNAL_TARGETS)[number];

/**
 * A strategy's wish for the bot's position. `signalId` is deterministic (see `signalIdOf`):
 * it becomes the exchange client order id, so a replayed signal cannot place a second order.
 */
export class SignalEmittedPayload {
  @Matches(/^[A-Za-z0-9_-]{8,64}$/) signalId: string;
  @IsUUID() botId: string;
  @IsUUID() userId: string;
  @IsString() @Length(1, 64) strategy: string;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(TIMEFRAMES) timeframe: Timeframe;
  /** Open time of the candle that produced the signal. */
  @IsISO8601({ strict: true }) candleTime: string;
  @IsIn(SIGNAL_TARGETS) target: SignalTarget;
  /** Close of that candle: the reference price for sizing and slippage checks. */
  @IsDecimalString({ sign: 'positive' }) price: string;
  @IsString() @Length(1, 500) reason: string;
  @IsNumberRecord() indicators: Record<string, number | null>;
}
