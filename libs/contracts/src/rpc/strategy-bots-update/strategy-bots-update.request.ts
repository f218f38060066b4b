import { Type } from 'class-transformer';
import { IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';
import { BotSettingsPatch } from '../strategy-views/bot-settings';

/** Changes settings of a bot: a new configuration version, effective from now. */
export class StrategyBotsUpdateRequest extends BotSettingsPatch {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() botId: string;
  @ValidateIf((_, v) => v !== undefined) @IsString() @MaxLength(500) changeReason?: string;
}
