import type { EventEnvelope } from '../envelope/event-envelope';
import { BotStatusChangedPayload } from './bot-status-changed.payload';

export const TYPE = 'bot.status.changed' as const;
export const VERSION = 1;
export { BotStatusChangedPayload as Payload, BOT_STATUSES, BOT_STATUS_CHANGED_BY, type BotStatus } from './bot-status-changed.payload';
export type Event = EventEnvelope<typeof TYPE, BotStatusChangedPayload>;
