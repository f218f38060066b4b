import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the api-gateway service (see README.md, Configuration). */
export class ApiGatewayEnv extends BaseServiceEnv {}
