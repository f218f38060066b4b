import { Type } from 'class-transformer';
import { IsIn, IsOptional, IsString, IsUUID, Length, Matches, ValidateIf, ValidateNested } from 'class-validator';
import { ORDER_SIDES, OrderSide } from '../../common/trading-vocabulary';
import { IsDecimalString } from '../../validation/is-decimal-string.decorator';
import { RequestOrigin, RpcCaller } from '../rpc-caller/rpc-caller';
import { CursorPageRequest } from '../strategy-views/bot-settings';

/** Lists of the caller's trading records (an admin sees everyone's), newest first, optionally of one bot. */
export class TradingPageRequest extends CursorPageRequest {
  @IsOptional() @IsUUID() botId?: string;
}

export class TradingPositionsListRequest extends TradingPageRequest {
  @IsOptional() @IsIn(['open', 'closed']) status?: 'open' | 'closed';
}

export class TradingOrderRefRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() orderId: string;
}

export class TradingPositionRefRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() positionId: string;
}

export class TradingBotRefRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() botId: string;
}

export class TradingBalancesListRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsOptional() @IsUUID() botId?: string;
}

/**
 * A manual order on one of the caller's bots' accounts (source `manual`), through the same risk check as a bot's.
 * `clientOrderId` makes a retried request harmless: the same id answers the order already placed.
 */
export class TradingOrdersPlaceRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() botId: string;
  @IsIn(ORDER_SIDES) side: OrderSide;
  @IsIn(['market', 'limit']) type: 'market' | 'limit';
  @IsDecimalString({ sign: 'positive' }) quantity: string;
  /** Required for a limit order. */
  @ValidateIf((o: TradingOrdersPlaceRequest) => o.type === 'limit' || o.price !== undefined) @IsDecimalString({ sign: 'positive' }) price?: string;
  @IsOptional() @IsString() @Length(8, 36) @Matches(/^[A-Za-z0-9_-]+$/) clientOrderId?: string;
}

/**
 * Brings a live bot's open position down to what the exchange account really holds (a coin sold or withdrawn by
 * hand, a missed fill): the removed quantity leaves at its average entry price, realized PnL unchanged. Reduce
 * only (`quantity` below the current size; "0" closes it). `requestId` makes a retried request harmless: the same
 * id answers the adjustment already booked.
 */
export class TradingPositionsAdjustRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() positionId: string;
  @IsDecimalString({ sign: 'nonNegative' }) quantity: string;
  /** Why (shown in the audit trail): at least one visible character, at most 500. */
  @IsString() @Length(1, 500) @Matches(/\S/) reason: string;
  @IsUUID() requestId: string;
  /** Where the HTTP request came from, for the audit record. */
  @IsOptional() @ValidateNested() @Type(() => RequestOrigin) origin?: RequestOrigin;
}
