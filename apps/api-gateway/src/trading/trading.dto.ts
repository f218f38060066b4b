import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsDecimalString, ORDER_SIDES } from '@trading/contracts';
import type { OrderSide } from '@trading/contracts';

const UUID_EXAMPLE = '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51';
const TIME_EXAMPLE = '2026-01-05T10:00:00.000Z';

export class TradingPageQuery {
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ example: 'MjAyNi0wMS0wNVQxMDowMDowMC4wMDBafDAxOTNhMGIy', description: '`next` of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
  @ApiPropertyOptional({ example: UUID_EXAMPLE, format: 'uuid', description: 'one bot only' }) @IsOptional() @IsUUID() botId?: string;
}

export class ListPositionsQuery extends TradingPageQuery {
  @ApiPropertyOptional({ example: 'open', enum: ['open', 'closed'] }) @IsOptional() @IsIn(['open', 'closed']) status?: 'open' | 'closed';
}

export class ListBalancesQuery {
  @ApiPropertyOptional({ example: UUID_EXAMPLE, format: 'uuid', description: 'one bot only' }) @IsOptional() @IsUUID() botId?: string;
}

export class PlaceOrderDto {
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid', description: 'the bot whose (paper) account trades' }) @IsUUID() botId: string;
  @ApiProperty({ example: 'buy', enum: ORDER_SIDES }) @IsIn(ORDER_SIDES) side: OrderSide;
  @ApiProperty({ example: 'limit', enum: ['market', 'limit'] }) @IsIn(['market', 'limit']) type: 'market' | 'limit';
  @ApiProperty({ example: '0.01', description: 'base currency, decimal string' }) @IsDecimalString({ sign: 'positive' }) quantity: string;
  @ApiPropertyOptional({ example: '42000.5', description: 'limit price (required for a limit order)' })
  @ValidateIf((o: PlaceOrderDto) => o.type === 'limit' || o.price !== undefined)
  @IsDecimalString({ sign: 'positive' })
  price?: string;
  @ApiPropertyOptional({ example: 'my-order-0001', description: 'your id: a retried request with it answers the order already placed' })
  @IsOptional()
  @IsString()
  @Length(8, 36)
  @Matches(/^[A-Za-z0-9_-]+$/)
  clientOrderId?: string;
}

export class CloseAllPositionsDto {
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) @IsUUID() botId: string;
}

export class OrderDto {
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) id: string;
  @ApiProperty({ example: 'Jc0m3cJ8b3m1e2x4Qk9zR0t1V2w3X4y5' }) clientOrderId: string;
  @ApiProperty({ example: 'paper-12', nullable: true, type: String }) exchangeOrderId: string | null;
  @ApiProperty({ example: UUID_EXAMPLE, nullable: true, type: String, format: 'uuid' }) botId: string | null;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: 'paper', enum: ['paper', 'live'] }) mode: 'paper' | 'live';
  @ApiProperty({ example: 'strategy', description: 'strategy | manual | stop_loss | take_profit | trailing_stop | risk | reconcile' }) source: string;
  @ApiProperty({ example: 'market' }) type: string;
  @ApiProperty({ example: 'buy', enum: ORDER_SIDES }) side: OrderSide;
  @ApiProperty({ example: 'entry', nullable: true, type: String }) purpose: string | null;
  @ApiProperty({ example: 'filled', description: 'pending | submitted | partially_filled | filled | cancelled | rejected | expired | failed' }) status: string;
  @ApiProperty({ example: '0.12500000' }) quantity: string;
  @ApiProperty({ example: '0.12500000' }) filledQuantity: string;
  @ApiProperty({ example: null, nullable: true, type: String }) price: string | null;
  @ApiProperty({ example: '40100.00000000', nullable: true, type: String }) averageFillPrice: string | null;
  @ApiProperty({ example: '5.01250000' }) fees: string;
  @ApiProperty({ example: null, nullable: true, type: String, description: 'risk_denied, risk_unavailable, below_min_size, ...' }) rejectionReason: string | null;
  @ApiProperty({ example: null, nullable: true, type: [String], description: "risk's reason codes" }) reasonCodes: string[] | null;
  @ApiProperty({ example: 0 }) retryCount: number;
  @ApiProperty({ example: TIME_EXAMPLE }) createdAt: string;
  @ApiProperty({ example: TIME_EXAMPLE }) updatedAt: string;
  @ApiProperty({ example: TIME_EXAMPLE, nullable: true, type: String }) filledAt: string | null;
}

export class OrderPageDto {
  @ApiProperty({ type: [OrderDto] }) items: OrderDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'pass as `cursor` for the next page' }) next: string | null;
}

export class OrderListDto {
  @ApiProperty({ type: [OrderDto] }) orders: OrderDto[];
}

export class TradeDto {
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) id: string;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) orderId: string;
  @ApiProperty({ example: UUID_EXAMPLE, nullable: true, type: String, format: 'uuid' }) botId: string | null;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: 'paper', enum: ['paper', 'live'] }) mode: 'paper' | 'live';
  @ApiProperty({ example: 'sell', enum: ORDER_SIDES }) side: OrderSide;
  @ApiProperty({ example: '40900.50000000' }) price: string;
  @ApiProperty({ example: '0.12500000' }) quantity: string;
  @ApiProperty({ example: '5112.56250000' }) quoteQuantity: string;
  @ApiProperty({ example: '5.11256250' }) fee: string;
  @ApiProperty({ example: 'USDT', nullable: true, type: String }) feeCurrency: string | null;
  @ApiProperty({ example: '94.94993750', nullable: true, type: String, description: 'net of this fee; 0 when it opened a position' }) realizedPnl: string | null;
  @ApiProperty({ example: TIME_EXAMPLE }) executedAt: string;
}

export class TradePageDto {
  @ApiProperty({ type: [TradeDto] }) items: TradeDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'pass as `cursor` for the next page' }) next: string | null;
}

export class PositionDto {
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) id: string;
  @ApiProperty({ example: UUID_EXAMPLE, nullable: true, type: String, format: 'uuid' }) botId: string | null;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: 'paper', enum: ['paper', 'live'] }) mode: 'paper' | 'live';
  @ApiProperty({ example: 'long', enum: ['long', 'short'] }) side: 'long' | 'short';
  @ApiProperty({ example: 'open', description: 'open | closed | ...' }) status: string;
  @ApiProperty({ example: '0.12500000' }) size: string;
  @ApiProperty({ example: '40100.00000000' }) avgEntryPrice: string;
  @ApiProperty({ example: '40500.00000000', nullable: true, type: String }) currentPrice: string | null;
  @ApiProperty({ example: '50.00000000' }) unrealizedPnl: string;
  @ApiProperty({ example: '-5.01250000', description: 'net of every fee paid on the position' }) realizedPnl: string;
  @ApiProperty({ example: '5.01250000' }) feesPaid: string;
  @ApiProperty({ example: '39298.00000000', nullable: true, type: String }) stopLoss: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) takeProfit: string | null;
  @ApiProperty({ example: '0.0500', nullable: true, type: String, description: 'fraction' }) trailingStopPct: string | null;
  @ApiProperty({ example: '40500.00000000', nullable: true, type: String }) highestPrice: string | null;
  @ApiProperty({ example: '40100.00000000', nullable: true, type: String }) lowestPrice: string | null;
  @ApiProperty({ example: TIME_EXAMPLE }) openedAt: string;
  @ApiProperty({ example: null, nullable: true, type: String }) closedAt: string | null;
}

export class PositionPageDto {
  @ApiProperty({ type: [PositionDto] }) items: PositionDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'pass as `cursor` for the next page' }) next: string | null;
}

export class AdjustPositionDto {
  @ApiProperty({ example: '0.1', description: 'what the exchange account really holds for the position (base currency, decimal string): below its size, a multiple of the lot step; 0 closes it' })
  @IsDecimalString({ sign: 'nonNegative' })
  quantity: string;
  @ApiProperty({ example: 'sold 0.024875 BTC by hand on binance.com', minLength: 1, maxLength: 500, description: 'why, for the audit trail' })
  @IsString()
  @Length(1, 500)
  @Matches(/\S/, { message: 'reason must not be blank' })
  reason: string;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f99', format: 'uuid', description: 'your id for this request: a retry with it answers the adjustment already booked' })
  @IsUUID()
  requestId: string;
}

export class AdjustedDriftDto {
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) exchangeKeyId: string;
  @ApiProperty({ example: '0.1' }) exchangeTotal: string;
  @ApiProperty({ example: '0.124875' }) ledger: string;
  @ApiProperty({ example: '0.024875' }) shortfall: string;
  @ApiProperty({ example: TIME_EXAMPLE, description: 'when the drift was first seen' }) since: string;
}

export class PositionAdjustmentDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f99', format: 'uuid' }) requestId: string;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) positionId: string;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) botId: string;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid', description: 'the owner' }) userId: string;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid', description: 'who asked (the owner or an admin)' }) actorUserId: string;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: '0.124875' }) fromQuantity: string;
  @ApiProperty({ example: '0.1' }) toQuantity: string;
  @ApiProperty({ example: '0.024875' }) removedQuantity: string;
  @ApiProperty({ example: '995.995996', description: 'the cost basis that left with the removed quantity, at the average entry price' }) removedCost: string;
  @ApiProperty({ example: '40040.04004004', description: 'the average entry price before (and, within 1e-8, after)' }) avgEntryPrice: string;
  @ApiProperty({ example: 'sold 0.024875 BTC by hand on binance.com' }) reason: string;
  @ApiProperty({ type: AdjustedDriftDto, nullable: true, description: 'the balance drift reported for the asset when the adjustment was made' }) drift: AdjustedDriftDto | null;
  @ApiProperty({ example: TIME_EXAMPLE }) adjustedAt: string;
  @ApiProperty({ example: false, description: 'true when this answers a request id already booked (nothing booked again)' }) replayed: boolean;
  @ApiProperty({ type: PositionDto, description: 'the position after the adjustment' }) position: PositionDto;
}

export class BalanceDto {
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) botId: string;
  @ApiProperty({ example: UUID_EXAMPLE, format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'USDT' }) currency: string;
  @ApiProperty({ example: '10089.93743750' }) free: string;
  @ApiProperty({ example: '0.00000000' }) locked: string;
  @ApiProperty({ example: TIME_EXAMPLE }) updatedAt: string;
}

export class BalanceListDto {
  @ApiProperty({ type: [BalanceDto] }) items: BalanceDto[];
}
