import type { BotConfigurationView } from '../strategy-views/strategy-views';

/** A bot's configuration history, newest version first. */
export const PATTERN = 'strategy.bots.configurations' as const;
export { BotRefRequest as Request } from '../strategy-views/bot-settings';
export type Response = { readonly items: BotConfigurationView[] };
