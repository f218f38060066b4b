import { ServiceDatabase } from '@trading/database';
import { AuditLogEntity } from '../audit/audit-log.entity';
import { SystemEventEntity } from '../audit/system-event.entity';
import { CreateReadModelTables1795330000000 } from '../migrations/1795330000000-CreateReadModelTables';
import { CreatePerformanceTables1795330001000 } from '../migrations/1795330001000-CreatePerformanceTables';
import { CreateAuditTables1795330002000 } from '../migrations/1795330002000-CreateAuditTables';
import { CreateProcessedEvents1795330003000 } from '../migrations/1795330003000-CreateProcessedEvents';
import { CreateDashboardMaterializedViews1795330004000 } from '../migrations/1795330004000-CreateDashboardMaterializedViews';
import { AddInitialCapitalToBotFacts1795330005000 } from '../migrations/1795330005000-AddInitialCapitalToBotFacts';
import { AddProcessedAtIndexToProcessedEvents1795330006000 } from '../migrations/1795330006000-AddProcessedAtIndexToProcessedEvents';
import { DailyPerformanceEntity } from '../performance/daily-performance.entity';
import { EquityPointEntity } from '../performance/equity-point.entity';
import { PerformanceMetricsEntity } from '../performance/performance-metrics.entity';
import { PortfolioSnapshotEntity } from '../portfolio/portfolio-snapshot.entity';
import { BotFactEntity } from '../read-model/bot-fact.entity';
import { PositionFactEntity } from '../read-model/position-fact.entity';
import { RiskEventFactEntity } from '../read-model/risk-event-fact.entity';
import { TradeFactEntity } from '../read-model/trade-fact.entity';

/** The materialized views are created by migrations and read with raw SQL, so they are not entities. */
export const analyticsDatabase: ServiceDatabase = {
  service: 'analytics',
  schemas: ['analytics', 'audit'],
  entities: [
    TradeFactEntity,
    PositionFactEntity,
    BotFactEntity,
    RiskEventFactEntity,
    PerformanceMetricsEntity,
    PortfolioSnapshotEntity,
    EquityPointEntity,
    DailyPerformanceEntity,
    AuditLogEntity,
    SystemEventEntity,
  ],
  migrations: [
    CreateReadModelTables1795330000000,
    CreatePerformanceTables1795330001000,
    CreateAuditTables1795330002000,
    CreateProcessedEvents1795330003000,
    CreateDashboardMaterializedViews1795330004000,
    AddInitialCapitalToBotFacts1795330005000,
    AddProcessedAtIndexToProcessedEvents1795330006000,
  ],
};
