import { Type } from 'class-transformer';
import { IsIn, IsString, IsUUID, Length, Matches, ValidateNested } from 'class-validator';
import { EXCHANGE_ID, Timeframe, TIMEFRAMES } from '../../common/trading-vocabulary';
import { IsDecimalString } from '../../validation/is-decimal-string.decorator';
import { IsMarketSymbol } from '../../validation/is-market-symbol.decorator';
import { RpcCaller } from '../rpc-caller/rpc-caller';
import { BotOptionalSettings, PRINTABLE, printable } from '../strategy-views/bot-settings';

/** A new bot (status `stopped`, configuration version 1). Omitted settings take the defaults (paper, spot, 100 % of equity). */
export class StrategyBotsCreateRequest extends BotOptionalSettings {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() strategyId: string;
  @IsString() @Length(1, 100) @Matches(PRINTABLE, printable) name: string;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsMarketSymbol() symbol: string;
  @IsIn(TIMEFRAMES) timeframe: Timeframe;
  @IsDecimalString({ sign: 'positive' }) initialCapital: string;
}
