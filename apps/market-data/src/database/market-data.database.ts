import { ServiceDatabase } from '@trading/database';
import { OhlcvEntity } from '../candles/ohlcv.entity';
import { CreateTradingPairsAndTickers1795300100000 } from '../migrations/1795300100000-CreateTradingPairsAndTickers';
import { CreatePartitionedOhlcv1795300101000 } from '../migrations/1795300101000-CreatePartitionedOhlcv';
import { CreateOutbox1795300102000 } from '../migrations/1795300102000-CreateOutbox';
import { TradingPairEntity } from '../pairs/trading-pair.entity';
import { TickerEntity } from '../tickers/ticker.entity';

export const marketDataDatabase: ServiceDatabase = {
  service: 'market-data',
  schemas: ['market'],
  entities: [TradingPairEntity, TickerEntity, OhlcvEntity],
  migrations: [CreateTradingPairsAndTickers1795300100000, CreatePartitionedOhlcv1795300101000, CreateOutbox1795300102000],
};
