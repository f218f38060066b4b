import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the risk service (see README.md, Configuration). */
export class RiskEnv extends BaseServiceEnv {
  /** Capital of a bot until a bot event names its own (BotStatusChanged.initialCapital); percent limits are measured against it. */
  @IsString()
  @Matches(/^\d{1,20}(\.\d{1,8})?$/, { message: 'must be a positive decimal' })
  RISK_DEFAULT_STARTING_EQUITY = '10000';

  /** Every instance reloads limits and trading states this often, besides at once on every announced change. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  RISK_SETTINGS_RESYNC_MS = 5000;
}
