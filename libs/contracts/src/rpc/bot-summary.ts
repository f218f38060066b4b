import type { BotStatus } from '../bot-status-changed/bot-status-changed.payload';
import type { Timeframe, TradingMode } from '../common/trading-vocabulary';

export interface BotSummary {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly strategy: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly mode: TradingMode;
  readonly status: BotStatus;
}
