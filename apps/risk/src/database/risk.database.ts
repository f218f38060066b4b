import { ServiceDatabase } from '@trading/database';
import { BotAccountEntity } from '../accounts/bot-account.entity';
import { BotPositionEntity } from '../accounts/bot-position.entity';
import { RiskLimitEntity } from '../limits/risk-limit.entity';
import { CreateRiskLimitsAndTradingStates1795320000000 } from '../migrations/1795320000000-CreateRiskLimitsAndTradingStates';
import { CreateRiskEventsAndMetrics1795320001000 } from '../migrations/1795320001000-CreateRiskEventsAndMetrics';
import { CreateOutboxAndProcessedEvents1795320002000 } from '../migrations/1795320002000-CreateOutboxAndProcessedEvents';
import { CreateBotAccountsAndPositions1795320003000 } from '../migrations/1795320003000-CreateBotAccountsAndPositions';
import { AddStreamPositionsCapitalAndCrossingKeys1795320004000 } from '../migrations/1795320004000-AddStreamPositionsCapitalAndCrossingKeys';
import { AddProcessedAtIndexToProcessedEvents1795320005000 } from '../migrations/1795320005000-AddProcessedAtIndexToProcessedEvents';
import { RiskEventEntity } from '../risk-events/risk-event.entity';
import { RiskMetricsEntity } from '../risk-metrics/risk-metrics.entity';
import { TradingStateEntity } from '../trading-state/trading-state.entity';

export const riskDatabase: ServiceDatabase = {
  service: 'risk',
  schemas: ['risk'],
  entities: [RiskLimitEntity, TradingStateEntity, RiskEventEntity, RiskMetricsEntity, BotAccountEntity, BotPositionEntity],
  migrations: [
    CreateRiskLimitsAndTradingStates1795320000000,
    CreateRiskEventsAndMetrics1795320001000,
    CreateOutboxAndProcessedEvents1795320002000,
    CreateBotAccountsAndPositions1795320003000,
    AddStreamPositionsCapitalAndCrossingKeys1795320004000,
    AddProcessedAtIndexToProcessedEvents1795320005000,
  ],
};
