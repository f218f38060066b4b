import type { TradingState } from '../../common/trading-vocabulary';

/** A denial is an answer, not an error: `approved: false` with the reason codes. */
export interface RiskPreTradeCheckResponse {
  readonly approved: boolean;
  /** Empty when approved; e.g. MAX_POSITION_SIZE, DAILY_LOSS_LIMIT, TRADING_HALTED. */
  readonly reasons: string[];
  /** The most restrictive of the bot's, the user's and the global trading state. */
  readonly tradingState: TradingState;
}
