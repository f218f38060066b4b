import { StrategyDefinition } from '../strategy-definition';
import { bollingerReversion } from './bollinger-reversion.strategy';
import { emaRsi } from './ema-rsi.strategy';
import { macdCross } from './macd-cross.strategy';
import { momentumBreakout } from './momentum-breakout.strategy';
import { rsiReversion } from './rsi-reversion.strategy';
import { shortSeller } from './short-seller.strategy';
import { emaCross, smaCross } from './sma-cross.strategy';

export const BUILTIN_STRATEGIES: readonly StrategyDefinition<object>[] = [
  smaCross,
  emaCross,
  emaRsi,
  rsiReversion,
  macdCross,
  bollingerReversion,
  momentumBreakout,
  shortSeller,
] as unknown as StrategyDefinition<object>[];

export * from './bollinger-reversion.strategy';
export * from './ema-rsi.strategy';
export * from './macd-cross.strategy';
export * from './momentum-breakout.strategy';
export * from './rsi-reversion.strategy';
export * from './short-seller.strategy';
export * from './sma-cross.strategy';
