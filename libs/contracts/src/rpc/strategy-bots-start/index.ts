import type { StrategyBotView } from '../strategy-views/strategy-views';

/** Starts a stopped or paused bot: it is evaluated on the next closed candle. */
export const PATTERN = 'strategy.bots.start' as const;
export { BotRefRequest as Request } from '../strategy-views/bot-settings';
export type Response = StrategyBotView;
