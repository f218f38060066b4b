import { ServiceDatabase } from '@trading/database';
import { BotAccountEntity } from '../accounts/bot-account.entity';
import { AccountBalanceEntity } from '../balances/account-balance.entity';
import { BalanceEntity } from '../balances/balance.entity';
import { CreatePortfoliosAndBalances1795310000000 } from '../migrations/1795310000000-CreatePortfoliosAndBalances';
import { CreateOrdersAndTrades1795310001000 } from '../migrations/1795310001000-CreateOrdersAndTrades';
import { CreatePositions1795310002000 } from '../migrations/1795310002000-CreatePositions';
import { CreateAccountBalanceHistory1795310003000 } from '../migrations/1795310003000-CreateAccountBalanceHistory';
import { CreateOutboxAndProcessedEvents1795310004000 } from '../migrations/1795310004000-CreateOutboxAndProcessedEvents';
import { CreateBotAccounts1795310005000 } from '../migrations/1795310005000-CreateBotAccounts';
import { AddProcessedAtIndexToProcessedEvents1795310006000 } from '../migrations/1795310006000-AddProcessedAtIndexToProcessedEvents';
import { RecordExchangeBalanceChecks1795310007000 } from '../migrations/1795310007000-RecordExchangeBalanceChecks';
import { RecordPositionAdjustments1795310008000 } from '../migrations/1795310008000-RecordPositionAdjustments';
import { OrderEntity } from '../orders/order.entity';
import { PortfolioEntity } from '../portfolios/portfolio.entity';
import { PositionAdjustmentEntity } from '../positions/position-adjustment.entity';
import { PositionEntity } from '../positions/position.entity';
import { TradeEntity } from '../trades/trade.entity';

export const tradingEngineDatabase: ServiceDatabase = {
  service: 'trading-engine',
  schemas: ['trading'],
  entities: [PortfolioEntity, BalanceEntity, AccountBalanceEntity, OrderEntity, TradeEntity, PositionEntity, BotAccountEntity, PositionAdjustmentEntity],
  migrations: [
    CreatePortfoliosAndBalances1795310000000,
    CreateOrdersAndTrades1795310001000,
    CreatePositions1795310002000,
    CreateAccountBalanceHistory1795310003000,
    CreateOutboxAndProcessedEvents1795310004000,
    CreateBotAccounts1795310005000,
    AddProcessedAtIndexToProcessedEvents1795310006000,
    RecordExchangeBalanceChecks1795310007000,
    RecordPositionAdjustments1795310008000,
  ],
};
