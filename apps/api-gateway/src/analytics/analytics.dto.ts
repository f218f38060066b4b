import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min } from 'class-validator';

const BOT_ID = '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51';
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const day = { message: '$property must be a UTC day, YYYY-MM-DD' };

export class PerformanceQuery {
  @ApiPropertyOptional({ example: BOT_ID, format: 'uuid', description: 'one bot; without it, your whole account' }) @IsOptional() @IsUUID() botId?: string;
  @ApiPropertyOptional({ example: 30, minimum: 0, maximum: 366, description: 'most recent days to include' }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(366) days?: number;
}

export class TimeRangeQuery {
  @ApiPropertyOptional({ example: '2026-01-01T00:00:00.000Z' }) @IsOptional() @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2026-12-31T23:59:59.999Z' }) @IsOptional() @IsISO8601({ strict: true }) to?: string;
}

export class DayRangeQuery {
  @ApiProperty({ example: '2026-01-01' }) @Matches(DAY, day) from: string;
  @ApiProperty({ example: '2026-01-31' }) @Matches(DAY, day) to: string;
}

export class AuditQuery {
  @ApiPropertyOptional({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', format: 'uuid' }) @IsOptional() @IsUUID() userId?: string;
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ example: 'MjAyNi0wMS0wNVQxMDowMDowMC4wMDBafDAxOTNhMGIy', description: '`nextCursor` of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

/** Performance over a period; money and ratios in decimal strings, percentages in percent. */
export class PerformanceDto {
  @ApiProperty({ example: BOT_ID, nullable: true, type: String, format: 'uuid' }) botId: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) strategy: string | null;
  @ApiProperty({ example: 'overall', enum: ['day', 'overall'] }) period: string;
  @ApiProperty({ example: '2026-01-01' }) periodStart: string;
  @ApiProperty({ example: '2026-01-03' }) periodEnd: string;
  @ApiProperty({ example: 6 }) totalTrades: number;
  @ApiProperty({ example: 2 }) winningTrades: number;
  @ApiProperty({ example: 2 }) losingTrades: number;
  @ApiProperty({ example: '50.00', nullable: true, type: String }) winRate: string | null;
  @ApiProperty({ example: '150.00000000', nullable: true, type: String }) avgWin: string | null;
  @ApiProperty({ example: '-100.00000000', nullable: true, type: String }) avgLoss: string | null;
  @ApiProperty({ example: '1.5000', nullable: true, type: String }) profitFactor: string | null;
  @ApiProperty({ example: '25.00000000', nullable: true, type: String }) expectancy: string | null;
  @ApiProperty({ example: '100.00000000' }) totalPnl: string;
  @ApiProperty({ example: '3.00000000' }) totalFees: string;
  @ApiProperty({ example: '12.0000', nullable: true, type: String }) maxDrawdown: string | null;
  @ApiProperty({ example: '4.9349', nullable: true, type: String }) sharpeRatio: string | null;
  @ApiProperty({ example: '11.0740', nullable: true, type: String }) sortinoRatio: string | null;
  @ApiProperty({ example: '122.1495', nullable: true, type: String }) calmarRatio: string | null;
  @ApiProperty({ example: '10.0000', nullable: true, type: String }) totalReturn: string | null;
}

export class PerformanceReportDto {
  @ApiProperty({ type: PerformanceDto, nullable: true }) overall: PerformanceDto | null;
  @ApiProperty({ type: [PerformanceDto] }) daily: PerformanceDto[];
}

export class EquityPointDto {
  @ApiProperty({ example: '2026-01-03T11:00:00.000Z' }) time: string;
  @ApiProperty({ example: '1105.00000000' }) equity: string;
}

export class EquityCurveDto {
  @ApiProperty({ type: [EquityPointDto] }) points: EquityPointDto[];
}

export class PortfolioSnapshotDto {
  @ApiProperty({ example: '2026-01-03T11:00:00.000Z' }) timestamp: string;
  @ApiProperty({ example: '1105.00000000' }) totalEquity: string;
  @ApiProperty({ example: '1100.00000000' }) totalBalance: string;
  @ApiProperty({ example: '5.00000000' }) totalUnrealizedPnl: string;
  @ApiProperty({ example: '100.00000000' }) totalRealizedPnl: string;
  @ApiProperty({ example: '10.5000', nullable: true, type: String }) totalPnlPercent: string | null;
  @ApiProperty({ example: 1 }) activeBots: number;
  @ApiProperty({ example: 1 }) botsInTrade: number;
  @ApiProperty({ example: 1 }) totalOpenPositions: number;
  @ApiProperty({ example: '-150.00000000' }) dailyPnl: string;
  @ApiProperty({ example: '100.00000000' }) weeklyPnl: string;
  @ApiProperty({ example: '100.00000000' }) monthlyPnl: string;
}

export class OpenPositionDto {
  @ApiProperty({ example: BOT_ID, format: 'uuid' }) botId: string;
  @ApiProperty({ example: 'btc minutes', nullable: true, type: String }) botName: string | null;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: 'long', enum: ['long', 'short'] }) side: string;
  @ApiProperty({ example: '0.10000000' }) size: string;
  @ApiProperty({ example: '20000.00000000' }) avgEntryPrice: string;
  @ApiProperty({ example: '20050.00000000', nullable: true, type: String }) currentPrice: string | null;
  @ApiProperty({ example: '5.00000000' }) unrealizedPnl: string;
  @ApiProperty({ example: '2005.00000000' }) positionValue: string;
  @ApiProperty({ example: '2026-01-01T01:00:00.000Z' }) openedAt: string;
  @ApiProperty({ example: 'sma_cross', nullable: true, type: String }) strategy: string | null;
}

export class PortfolioDto {
  @ApiProperty({ type: PortfolioSnapshotDto, nullable: true }) snapshot: PortfolioSnapshotDto | null;
  @ApiProperty({ type: [OpenPositionDto] }) positions: OpenPositionDto[];
}

export class DailySummaryDto {
  @ApiProperty({ example: '2026-01-03' }) tradeDate: string;
  @ApiProperty({ example: BOT_ID, format: 'uuid' }) botId: string;
  @ApiProperty({ example: 'btc minutes', nullable: true, type: String }) botName: string | null;
  @ApiProperty({ example: 'sma_cross', nullable: true, type: String }) strategyName: string | null;
  @ApiProperty({ example: 2 }) totalTrades: number;
  @ApiProperty({ example: 0 }) winningTrades: number;
  @ApiProperty({ example: 1 }) losingTrades: number;
  @ApiProperty({ example: '-150.00000000' }) totalPnl: string;
  @ApiProperty({ example: '1.00000000' }) totalFees: string;
  @ApiProperty({ example: '4000.0000000000000000' }) tradedVolume: string;
  @ApiProperty({ example: '0.0000', nullable: true, type: String }) winRate: string | null;
}

export class DailySummaryListDto {
  @ApiProperty({ type: [DailySummaryDto] }) days: DailySummaryDto[];
}

export class AuditLogDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f70', format: 'uuid' }) id: string;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', nullable: true, type: String, format: 'uuid' }) userId: string | null;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', nullable: true, type: String, format: 'uuid' }) actorUserId: string | null;
  @ApiProperty({ example: 'auth.login' }) action: string;
  @ApiProperty({ example: 'user', nullable: true, type: String }) resourceType: string | null;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', nullable: true, type: String }) resourceId: string | null;
  @ApiProperty({ example: { outcome: 'success' }, nullable: true, type: 'object', additionalProperties: true }) newValues: Record<string, unknown> | null;
  @ApiProperty({ example: '127.0.0.1', nullable: true, type: String }) ipAddress: string | null;
  @ApiProperty({ example: '2026-11-20T12:00:00.000Z' }) createdAt: string;
}

export class AuditLogPageDto {
  @ApiProperty({ type: [AuditLogDto] }) items: AuditLogDto[];
  @ApiProperty({ example: null, nullable: true, type: String }) nextCursor: string | null;
}
