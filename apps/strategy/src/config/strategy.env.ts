import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the strategy service (see README.md, Configuration). */
export class StrategyEnv extends BaseServiceEnv {}
