import { ServiceDatabase } from '@trading/database';
import { BacktestEntity } from '../backtests/backtest.entity';
import { BotConfigurationEntity } from '../bots/bot-configuration.entity';
import { BotStateEntity } from '../bots/bot-state.entity';
import { BotEntity } from '../bots/bot.entity';
import { CreateStrategiesAndBots1795300200000 } from '../migrations/1795300200000-CreateStrategiesAndBots';
import { CreateBotConfigurationsAndState1795300201000 } from '../migrations/1795300201000-CreateBotConfigurationsAndState';
import { CreateSignals1795300202000 } from '../migrations/1795300202000-CreateSignals';
import { CreateBacktests1795300203000 } from '../migrations/1795300203000-CreateBacktests';
import { CreateOutboxAndProcessedEvents1795300204000 } from '../migrations/1795300204000-CreateOutboxAndProcessedEvents';
import { AddRunSettingsToBacktests1795300205000 } from '../migrations/1795300205000-AddRunSettingsToBacktests';
import { AddProcessedAtIndexToProcessedEvents1795300206000 } from '../migrations/1795300206000-AddProcessedAtIndexToProcessedEvents';
import { SignalEntity } from '../signals/signal.entity';
import { StrategyEntity } from '../strategies/strategy.entity';

export const strategyDatabase: ServiceDatabase = {
  service: 'strategy',
  schemas: ['strategy'],
  entities: [StrategyEntity, BotEntity, BotConfigurationEntity, BotStateEntity, SignalEntity, BacktestEntity],
  migrations: [
    CreateStrategiesAndBots1795300200000,
    CreateBotConfigurationsAndState1795300201000,
    CreateSignals1795300202000,
    CreateBacktests1795300203000,
    CreateOutboxAndProcessedEvents1795300204000,
    AddRunSettingsToBacktests1795300205000,
    AddProcessedAtIndexToProcessedEvents1795300206000,
  ],
};
