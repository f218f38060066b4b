import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { EXCHANGE_ID, IsMarketSymbol, TIMEFRAMES } from '@trading/contracts';
import type { Timeframe } from '@trading/contracts';

export class MarketFilterQuery {
  @ApiPropertyOptional({ example: 'binance' }) @IsOptional() @Matches(EXCHANGE_ID) exchange?: string;
}

export class TickerFilterQuery extends MarketFilterQuery {
  @ApiPropertyOptional({ example: 'BTC/USDT' }) @IsOptional() @IsMarketSymbol() symbol?: string;
}

export class CandlesQuery {
  @ApiProperty({ example: 'binance' }) @Matches(EXCHANGE_ID) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) @IsMarketSymbol() symbol: string;
  @ApiProperty({ example: '1h', enum: TIMEFRAMES }) @IsIn(TIMEFRAMES) timeframe: Timeframe;
  @ApiProperty({ example: '2021-01-03T00:00:00Z', description: 'inclusive, ISO-8601' }) @IsISO8601({ strict: true }) from: string;
  @ApiProperty({ example: '2021-01-04T00:00:00Z', description: 'exclusive, ISO-8601' }) @IsISO8601({ strict: true }) to: string;
  @ApiPropertyOptional({ example: 1000, minimum: 1, maximum: 5000 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(5000) limit?: number;
  @ApiPropertyOptional({ example: '2021-01-03T16:39:00.000Z', description: '`next` of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class PairDto {
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: 'BTC' }) base: string;
  @ApiProperty({ example: 'USDT' }) quote: string;
  @ApiProperty({ example: '0.01', nullable: true, type: String }) tickSize: string | null;
  @ApiProperty({ example: '0.00001', nullable: true, type: String }) stepSize: string | null;
  @ApiProperty({ example: '0.00001', nullable: true, type: String }) minOrderSize: string | null;
  @ApiProperty({ example: '9000', nullable: true, type: String }) maxOrderSize: string | null;
  @ApiProperty({ example: '5', nullable: true, type: String }) minNotional: string | null;
  @ApiProperty({ example: '0.001' }) makerFee: string;
  @ApiProperty({ example: '0.001' }) takerFee: string;
  @ApiProperty({ example: true }) isActive: boolean;
}

export class PairListDto {
  @ApiProperty({ type: [PairDto] }) items: PairDto[];
}

export class TickerDto {
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: '32203.33' }) last: string;
  @ApiProperty({ example: '32203.32', nullable: true, type: String }) bid: string | null;
  @ApiProperty({ example: '32203.34', nullable: true, type: String }) ask: string | null;
  @ApiProperty({ example: '1234.5', nullable: true, type: String }) baseVolume: string | null;
  @ApiProperty({ example: '2021-01-04T00:00:00.000Z' }) time: string;
}

export class TickerListDto {
  @ApiProperty({ type: [TickerDto] }) items: TickerDto[];
}

export class CandleDto {
  @ApiProperty({ example: '2021-01-03T00:00:00.000Z' }) openTime: string;
  @ApiProperty({ example: '32176.45000000' }) open: string;
  @ApiProperty({ example: '32250.00000000' }) high: string;
  @ApiProperty({ example: '32165.00000000' }) low: string;
  @ApiProperty({ example: '32216.22000000' }) close: string;
  @ApiProperty({ example: '101.80499200' }) volume: string;
}

export class CandlePageDto {
  @ApiProperty({ type: [CandleDto] }) items: CandleDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'pass as `cursor` for the next page; null on the last page' }) next: string | null;
}
