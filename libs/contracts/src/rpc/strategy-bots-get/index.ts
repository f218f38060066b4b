import type { StrategyBotView } from '../strategy-views/strategy-views';

/** One bot. */
export const PATTERN = 'strategy.bots.get' as const;
export { BotRefRequest as Request } from '../strategy-views/bot-settings';
export type Response = StrategyBotView;
