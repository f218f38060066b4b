import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the risk service (see README.md, Configuration). */
export class RiskEnv extends BaseServiceEnv {}
