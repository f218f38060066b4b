import type { StrategyBotView } from '../strategy-views/strategy-views';

export const PATTERN = 'strategy.bots.create' as const;
export { StrategyBotsCreateRequest as Request } from './strategy-bots-create.request';
export type Response = StrategyBotView;
