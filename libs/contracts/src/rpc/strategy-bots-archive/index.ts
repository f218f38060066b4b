import type { StrategyBotView } from '../strategy-views/strategy-views';

/** Archives (soft-deletes) a bot: it stops and leaves the default list. */
export const PATTERN = 'strategy.bots.archive' as const;
export { BotRefRequest as Request } from '../strategy-views/bot-settings';
export type Response = StrategyBotView;
