import type { StrategyBotView } from '../strategy-views/strategy-views';

/** Pauses a running bot (no new signals; state kept). */
export const PATTERN = 'strategy.bots.pause' as const;
export { BotRefRequest as Request } from '../strategy-views/bot-settings';
export type Response = StrategyBotView;
