import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the trading-engine service (see README.md, Configuration). */
export class TradingEngineEnv extends BaseServiceEnv {}
