import type { StrategyBotView } from '../strategy-views/strategy-views';

export const PATTERN = 'strategy.bots.update' as const;
export { StrategyBotsUpdateRequest as Request } from './strategy-bots-update.request';
export type Response = StrategyBotView;
