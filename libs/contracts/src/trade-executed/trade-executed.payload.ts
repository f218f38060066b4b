import { IsIn, IsISO8601, IsUUID, Matches, ValidateIf } from 'class-validator';
import { EXCHANGE_ID, ORDER_SIDES, OrderSide, TRADING_MODES, TradingMode } from '../common/trading-vocabulary';
import { IsDecimalString } from '../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../validation/is-market-symbol.decorator';

/** A fill as booked by the trading engine, with the P&L it realised. */
export class TradeExecutedPayload {
  @IsUUID() tradeId: string;
  @IsUUID() orderId: string;
  @ValidateIf((_, v) => v !== null) @IsUUID() botId: string | null;
  @IsUUID() userId: string;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(ORDER_SIDES) side: OrderSide;
  @IsIn(TRADING_MODES) mode: TradingMode;
  @IsDecimalString({ sign: 'positive' }) price: string;
  @IsDecimalString({ sign: 'positive' }) quantity: string;
  @IsDecimalString({ sign: 'nonNegative' }) fee: string;
  @Matches(/^[A-Z0-9]{1,20}$/) feeCurrency: string;
  /** P&L this trade realised, in the quote currency, net of fees; "0" when it opened or grew a position. */
  @IsDecimalString() realizedPnl: string;
  @IsISO8601({ strict: true }) executedAt: string;
}
