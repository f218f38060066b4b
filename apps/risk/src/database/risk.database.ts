import { ServiceDatabase } from '@trading/database';
import { RiskLimitEntity } from '../limits/risk-limit.entity';
import { CreateRiskLimitsAndTradingStates1795320000000 } from '../migrations/1795320000000-CreateRiskLimitsAndTradingStates';
import { CreateRiskEventsAndMetrics1795320001000 } from '../migrations/1795320001000-CreateRiskEventsAndMetrics';
import { CreateOutboxAndProcessedEvents1795320002000 } from '../migrations/1795320002000-CreateOutboxAndProcessedEvents';
import { RiskEventEntity } from '../risk-events/risk-event.entity';
import { RiskMetricsEntity } from '../risk-metrics/risk-metrics.entity';
import { TradingStateEntity } from '../trading-state/trading-state.entity';

export const riskDatabase: ServiceDatabase = {
  service: 'risk',
  schemas: ['risk'],
  entities: [RiskLimitEntity, TradingStateEntity, RiskEventEntity, RiskMetricsEntity],
  migrations: [
    CreateRiskLimitsAndTradingStates1795320000000,
    CreateRiskEventsAndMetrics1795320001000,
    CreateOutboxAndProcessedEvents1795320002000,
  ],
};
