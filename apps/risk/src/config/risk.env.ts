import { IsString, Matches } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the risk service (see README.md, Configuration). */
export class RiskEnv extends BaseServiceEnv {
  /** Capital of a bot before risk has seen any of its trades; percent limits are measured against it. */
  @IsString()
  @Matches(/^\d{1,20}(\.\d{1,8})?$/, { message: 'must be a positive decimal' })
  RISK_DEFAULT_STARTING_EQUITY = '10000';
}
