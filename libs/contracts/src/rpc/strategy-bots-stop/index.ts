import type { StrategyBotView } from '../strategy-views/strategy-views';

/** Stops a bot (publishes BotStatusChanged). */
export const PATTERN = 'strategy.bots.stop' as const;
export { BotRefRequest as Request } from '../strategy-views/bot-settings';
export type Response = StrategyBotView;
