import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the market-data service (see README.md, Configuration). */
export class MarketDataEnv extends BaseServiceEnv {}
