import type { BotSummary } from '../bot-summary';

export const PATTERN = 'bots.get' as const;
export { BotsGetRequest as Request } from './bots-get.request';
export type Response = BotSummary;
