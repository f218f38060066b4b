import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the auth service (see README.md, Configuration). */
export class AuthEnv extends BaseServiceEnv {}
