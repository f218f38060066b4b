import type { EventEnvelope } from '../envelope/event-envelope';
import { RiskLimitBreachedPayload } from './risk-limit-breached.payload';

export const TYPE = 'risk.limit.breached' as const;
export const VERSION = 1;
export {
  RiskLimitBreachedPayload as Payload,
  RISK_SCOPES,
  RISK_LIMIT_TYPES,
  RISK_ACTIONS,
  type RiskScope,
  type RiskLimitType,
  type RiskAction,
} from './risk-limit-breached.payload';
export type Event = EventEnvelope<typeof TYPE, RiskLimitBreachedPayload>;
