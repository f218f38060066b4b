import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the analytics service (see README.md, Configuration). */
export class AnalyticsEnv extends BaseServiceEnv {}
