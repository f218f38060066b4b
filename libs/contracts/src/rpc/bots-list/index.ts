import type { BotSummary } from '../bot-summary';

export const PATTERN = 'bots.list' as const;
export { BotsListRequest as Request } from './bots-list.request';
export interface Response {
  readonly items: BotSummary[];
}
