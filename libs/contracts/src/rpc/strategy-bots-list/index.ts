import type { CursorPage, StrategyBotView } from '../strategy-views/strategy-views';

export const PATTERN = 'strategy.bots.list' as const;
export { StrategyBotsListRequest as Request } from './strategy-bots-list.request';
export type Response = CursorPage<StrategyBotView>;
