import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsISO8601, IsNumber, IsObject, IsOptional, IsString, IsUUID, Length, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { BACKTEST_STATUSES, IsDecimalString, IsMarketSymbol, MARKET_TYPES, SIZING_MODES, STRATEGY_BOT_STATUSES, TIMEFRAMES, TRADING_MODES } from '@trading/contracts';
import type { MarketType, SizingMode, StrategyBotStatus, Timeframe, TradingMode } from '@trading/contracts';

const EXCHANGE_ID = /^[a-z0-9_]{2,32}$/;
const PERCENT = /^(0|[1-9]\d{0,2})(\.\d{1,2})?$/;
const PRINTABLE = /^[^\p{Cc}\p{Cf}]+$/u;
const printable = { message: '$property must not contain control or format characters' };
const percent = { message: '$property must be a percentage as a decimal string with at most 2 decimals (e.g. "2.5")' };

// ---- responses (shapes of @trading/contracts StrategyBotView, StrategyCatalogEntry, ...) ----

/** A strategy of the catalog with the JSON Schema of its parameters. */
export class StrategyCatalogEntryDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f52', format: 'uuid' }) id: string;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'uuid' }) userId: string | null;
  @ApiProperty({ example: 'sma_cross' }) name: string;
  @ApiProperty({ example: 'sma_cross' }) strategyType: string;
  @ApiProperty({ example: 'Long when the fast SMA crosses above the slow SMA', nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: true }) builtin: boolean;
  @ApiProperty({ example: { fast: 10, slow: 30, allowShort: false }, type: 'object', additionalProperties: true }) parameters: Record<string, unknown>;
  @ApiProperty({ example: { type: 'object', properties: { fast: { type: 'integer', minimum: 1 } } }, nullable: true, type: Object }) paramsSchema: Record<string, unknown> | null;
  @ApiProperty({ example: false }) isBacktested: boolean;
}

export class StrategyCatalogDto {
  @ApiProperty({ type: [StrategyCatalogEntryDto] }) items: StrategyCatalogEntryDto[];
}

/** A bot. Money in decimal strings; percentages in percent (2.5 = 2.5 %). */
export class BotDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51', format: 'uuid' }) id: string;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'btc minutes' }) name: string;
  @ApiProperty({ example: null, nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f52', format: 'uuid' }) strategyId: string;
  @ApiProperty({ example: 'sma_cross' }) strategy: string;
  @ApiProperty({ example: { fast: 10, slow: 30, allowShort: false }, type: 'object', additionalProperties: true }) strategyParams: Record<string, unknown>;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: '1h' }) timeframe: string;
  @ApiProperty({ example: 'paper', enum: ['paper', 'live'] }) mode: string;
  @ApiProperty({ example: 'spot', enum: MARKET_TYPES }) marketType: string;
  @ApiProperty({ example: 'running', enum: STRATEGY_BOT_STATUSES }) status: string;
  @ApiProperty({ example: '1000' }) initialCapital: string;
  @ApiProperty({ example: null, nullable: true, type: String }) currentEquity: string | null;
  @ApiProperty({ example: 1 }) leverage: number;
  @ApiProperty({ example: 'percent_equity', enum: SIZING_MODES }) sizingMode: string;
  @ApiProperty({ example: '100.00', nullable: true, type: String }) positionSizePct: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) positionSizeFixed: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) riskPerTradePct: string | null;
  @ApiProperty({ example: '2.50', nullable: true, type: String }) stopLossPct: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) takeProfitPct: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) trailingStopPct: string | null;
  @ApiProperty({ example: false }) trailingStopActive: boolean;
  @ApiProperty({ example: null, nullable: true, type: String }) dailyTargetPct: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) maxDailyLossPct: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) maxWeeklyLossPct: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) maxDrawdownPct: string | null;
  @ApiProperty({ example: null, nullable: true, type: Number }) maxDailyTrades: number | null;
  @ApiProperty({ example: 1 }) maxPositions: number;
  @ApiProperty({ example: null, nullable: true, type: String }) apiKeyId: string | null;
  @ApiProperty({ example: {}, type: 'object', additionalProperties: true }) riskSettings: Record<string, unknown>;
  @ApiProperty({ example: 'long', enum: ['long', 'short', 'flat'] }) target: string;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', nullable: true, type: String, format: 'date-time' }) lastCandleTime: string | null;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', nullable: true, type: String, format: 'date-time' }) lastHeartbeat: string | null;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', nullable: true, type: String, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) stoppedAt: string | null;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', format: 'date-time' }) updatedAt: string;
}

export class BotPageDto {
  @ApiProperty({ type: [BotDto] }) items: BotDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'pass as `cursor` for the next page' }) next: string | null;
}

/** One version of a bot configuration. */
export class BotConfigurationDto {
  @ApiProperty({ example: 2 }) version: number;
  @ApiProperty({ example: { strategyParams: { fast: 10, slow: 30 }, stopLossPct: '2.50' }, type: 'object', additionalProperties: true }) config: Record<string, unknown>;
  @ApiProperty({ example: 'add a stop', nullable: true, type: String }) changeReason: string | null;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', format: 'date-time' }) effectiveFrom: string;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time' }) effectiveUntil: string | null;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50' }) createdBy: string;
}

export class BotConfigurationListDto {
  @ApiProperty({ type: [BotConfigurationDto] }) items: BotConfigurationDto[];
}

/** A signal a bot produced on a closed candle. */
export class SignalDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51', format: 'uuid', description: 'UUID v5 of (bot, candle time, target): the client order id downstream' }) id: string;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f52', format: 'uuid' }) botId: string;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', format: 'uuid' }) userId: string;
  @ApiProperty({ example: 'sma_cross' }) strategy: string;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: '1h' }) timeframe: string;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', format: 'date-time' }) candleTime: string;
  @ApiProperty({ example: 'long', enum: ['long', 'short', 'close_long', 'close_short', 'hold'] }) signalType: string;
  @ApiProperty({ example: 'long', enum: ['long', 'short', 'flat'] }) target: string;
  @ApiProperty({ example: '29331.69' }) price: string;
  @ApiProperty({ example: 'fast SMA(10) crossed above slow SMA(30)', nullable: true, type: String }) reason: string | null;
  @ApiProperty({ example: { sma_fast: 29320.5, sma_slow: 29310.2 }, nullable: true, type: Object }) indicators: Record<string, unknown> | null;
  @ApiProperty({ example: {}, nullable: true, type: Object }) passedFilters: Record<string, unknown> | null;
  @ApiProperty({ example: false }) rejected: boolean;
  @ApiProperty({ example: null, nullable: true, type: String }) rejectionReason: string | null;
  @ApiProperty({ example: false }) executed: boolean;
  @ApiProperty({ example: null, nullable: true, type: String }) outcome: string | null;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', format: 'date-time' }) createdAt: string;
}

export class SignalPageDto {
  @ApiProperty({ type: [SignalDto] }) items: SignalDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'pass as `cursor` for the next page' }) next: string | null;
}

/** A backtest job; results (stats, equity curve, trades, periods) only on GET /backtests/{id}. */
export class BacktestDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51', format: 'uuid' }) id: string;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f50', format: 'uuid' }) userId: string;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'uuid' }) botId: string | null;
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f52', nullable: true, type: String, format: 'uuid' }) strategyId: string | null;
  @ApiProperty({ example: 'sma_cross' }) strategy: string;
  @ApiProperty({ example: { fast: 10, slow: 30, allowShort: false }, type: 'object', additionalProperties: true }) params: Record<string, unknown>;
  @ApiProperty({ example: 'binance' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) symbol: string;
  @ApiProperty({ example: '1m' }) timeframe: string;
  @ApiProperty({ example: '2021-01-03T00:00:00.000Z', format: 'date-time' }) startTime: string;
  @ApiProperty({ example: '2021-01-04T00:00:00.000Z', format: 'date-time' }) endTime: string;
  @ApiProperty({ example: 'completed', enum: BACKTEST_STATUSES }) status: string;
  @ApiProperty({ example: '100.00' }) progress: string;
  @ApiProperty({ example: '10000.00000000' }) initialCapital: string;
  @ApiProperty({ example: '10212.53000000', nullable: true, type: String }) finalCapital: string | null;
  @ApiProperty({ example: '2.1253', nullable: true, type: String }) totalReturn: string | null;
  @ApiProperty({ example: 14, nullable: true, type: Number }) totalTrades: number | null;
  @ApiProperty({ example: '42.86', nullable: true, type: String }) winRate: string | null;
  @ApiProperty({ example: '-1.9040', nullable: true, type: String }) maxDrawdown: string | null;
  @ApiProperty({ example: '1.2310', nullable: true, type: String }) sharpeRatio: string | null;
  @ApiProperty({ example: null, nullable: true, type: String }) error: string | null;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', nullable: true, type: String, format: 'date-time' }) startedAt: string | null;
  @ApiProperty({ example: '2026-01-05T10:00:00.000Z', nullable: true, type: String, format: 'date-time' }) finishedAt: string | null;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: { trades: 14, returnPct: 2.1253, sharpe: 1.231 } }) stats?: Record<string, unknown> | null;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, nullable: true, example: [{ time: '2021-01-03T00:00:00.000Z', equity: 10000 }], description: 'equity marked at each candle close' }) equityCurve?: Record<string, unknown>[] | null;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, nullable: true, example: [{ side: 'long', qty: 0.34, entryPrice: 29331.69, exitPrice: 29500.1, pnl: 57.3 }], description: 'closed trades' }) trades?: Record<string, unknown>[] | null;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, nullable: true, example: [{ period: '2021-01-03', equity: 10212.53, returnPct: 2.1253 }], description: 'equity and return per UTC day' }) dailyResults?: Record<string, unknown>[] | null;
  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, nullable: true, example: [{ period: '2021-01', equity: 10212.53, returnPct: 2.1253 }], description: 'equity and return per UTC month' }) monthlyResults?: Record<string, unknown>[] | null;
}

export class BacktestPageDto {
  @ApiProperty({ type: [BacktestDto] }) items: BacktestDto[];
  @ApiProperty({ example: null, nullable: true, type: String, description: 'pass as `cursor` for the next page' }) next: string | null;
}

// ---- requests ----

/** Settings with defaults: what create may omit and update may change. */
export class BotOptionalSettingsDto {
  @ApiPropertyOptional({ example: 'hourly trend follower', nullable: true, type: String, maxLength: 2000 }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(2000) @Matches(PRINTABLE, printable) description?: string | null;
  @ApiPropertyOptional({ example: { fast: 10, slow: 30 }, type: 'object', additionalProperties: true, description: 'validated against the strategy params schema' }) @ValidateIf((_, v) => v !== undefined) @IsObject() strategyParams?: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'paper', enum: TRADING_MODES }) @ValidateIf((_, v) => v !== undefined) @IsIn(TRADING_MODES) mode?: TradingMode;
  @ApiPropertyOptional({ example: 'spot', enum: MARKET_TYPES }) @ValidateIf((_, v) => v !== undefined) @IsIn(MARKET_TYPES) marketType?: MarketType;
  @ApiPropertyOptional({ example: 1, minimum: 1, maximum: 125 }) @ValidateIf((_, v) => v !== undefined) @IsInt() @Min(1) @Max(125) leverage?: number;
  @ApiPropertyOptional({ example: 'percent_equity', enum: SIZING_MODES }) @ValidateIf((_, v) => v !== undefined) @IsIn(SIZING_MODES) sizingMode?: SizingMode;
  @ApiPropertyOptional({ example: '100', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) positionSizePct?: string | null;
  @ApiPropertyOptional({ example: '250', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsDecimalString({ sign: 'positive' }) positionSizeFixed?: string | null;
  @ApiPropertyOptional({ example: '1', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) riskPerTradePct?: string | null;
  @ApiPropertyOptional({ example: '2.5', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) stopLossPct?: string | null;
  @ApiPropertyOptional({ example: '5', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) takeProfitPct?: string | null;
  @ApiPropertyOptional({ example: '1.5', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) trailingStopPct?: string | null;
  @ApiPropertyOptional({ example: false }) @ValidateIf((_, v) => v !== undefined) @IsBoolean() trailingStopActive?: boolean;
  @ApiPropertyOptional({ example: null, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) dailyTargetPct?: string | null;
  @ApiPropertyOptional({ example: '5', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) maxDailyLossPct?: string | null;
  @ApiPropertyOptional({ example: null, nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) maxWeeklyLossPct?: string | null;
  @ApiPropertyOptional({ example: '20', nullable: true, type: String }) @IsOptional() @ValidateIf((_, v) => v !== null) @Matches(PERCENT, percent) maxDrawdownPct?: string | null;
  @ApiPropertyOptional({ example: 20, nullable: true, type: Number }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsInt() @Min(1) maxDailyTrades?: number | null;
  @ApiPropertyOptional({ example: 1, minimum: 1, maximum: 100 }) @ValidateIf((_, v) => v !== undefined) @IsInt() @Min(1) @Max(100) maxPositions?: number;
  @ApiPropertyOptional({ example: null, nullable: true, type: String, format: 'uuid', description: 'a stored API key (required in live mode)' }) @IsOptional() @ValidateIf((_, v) => v !== null) @IsUUID() apiKeyId?: string | null;
  @ApiPropertyOptional({ example: {}, type: 'object', additionalProperties: true }) @ValidateIf((_, v) => v !== undefined) @IsObject() riskSettings?: Record<string, unknown>;
}

export class CreateBotDto extends BotOptionalSettingsDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f52', format: 'uuid', description: 'a catalog strategy id' }) @IsUUID() strategyId: string;
  @ApiProperty({ example: 'btc hourly', maxLength: 100 }) @IsString() @Length(1, 100) @Matches(PRINTABLE, printable) name: string;
  @ApiProperty({ example: 'binance', pattern: '^[a-z0-9_]{2,32}$' }) @Matches(EXCHANGE_ID, { message: 'exchange must be a ccxt exchange id' }) exchange: string;
  @ApiProperty({ example: 'BTC/USDT' }) @IsMarketSymbol() symbol: string;
  @ApiProperty({ example: '1h', enum: TIMEFRAMES }) @IsIn(TIMEFRAMES) timeframe: Timeframe;
  @ApiProperty({ example: '1000', description: 'quote currency, decimal string' }) @IsDecimalString({ sign: 'positive' }) initialCapital: string;
}

export class UpdateBotDto extends BotOptionalSettingsDto {
  @ApiPropertyOptional({ example: 'btc hourly', maxLength: 100 }) @ValidateIf((_, v) => v !== undefined) @IsString() @Length(1, 100) @Matches(PRINTABLE, printable) name?: string;
  @ApiPropertyOptional({ example: 'binance', pattern: '^[a-z0-9_]{2,32}$' }) @ValidateIf((_, v) => v !== undefined) @Matches(EXCHANGE_ID, { message: 'exchange must be a ccxt exchange id' }) exchange?: string;
  @ApiPropertyOptional({ example: 'BTC/USDT' }) @ValidateIf((_, v) => v !== undefined) @IsMarketSymbol() symbol?: string;
  @ApiPropertyOptional({ example: '1h', enum: TIMEFRAMES }) @ValidateIf((_, v) => v !== undefined) @IsIn(TIMEFRAMES) timeframe?: Timeframe;
  @ApiPropertyOptional({ example: '1000' }) @ValidateIf((_, v) => v !== undefined) @IsDecimalString({ sign: 'positive' }) initialCapital?: string;
  @ApiPropertyOptional({ example: 'tighter stop', maxLength: 500 }) @ValidateIf((_, v) => v !== undefined) @IsString() @MaxLength(500) @Matches(PRINTABLE, printable) changeReason?: string;
}

export class PageQuery {
  @ApiPropertyOptional({ example: 50, minimum: 1, maximum: 500 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
  @ApiPropertyOptional({ example: 'MjAyNi0wMS0wNVQxMDowMDowMC4wMDBafDAxOTNhMGIy', description: '`next` of the previous page' }) @IsOptional() @IsString() @MaxLength(200) cursor?: string;
}

export class ListBotsQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'running', enum: STRATEGY_BOT_STATUSES }) @IsOptional() @IsIn(STRATEGY_BOT_STATUSES) status?: StrategyBotStatus;
  @ApiPropertyOptional({ example: false, description: 'also list archived bots' }) @IsOptional() @Type(() => String) @IsIn(['true', 'false']) includeArchived?: 'true' | 'false';
}

export class RunBacktestDto {
  @ApiPropertyOptional({ example: null, format: 'uuid', type: String, description: "a bot: its strategy, params, capital, sizing and exits" }) @ValidateIf((_, v) => v !== undefined) @IsUUID() botId?: string;
  @ApiPropertyOptional({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f52', format: 'uuid', description: 'a catalog strategy (when no botId)' }) @ValidateIf((o: RunBacktestDto) => o.botId === undefined) @IsUUID() strategyId?: string;
  @ApiPropertyOptional({ example: { fast: 10, slow: 30 }, type: 'object', additionalProperties: true }) @ValidateIf((_, v) => v !== undefined) @IsObject() params?: Record<string, unknown>;
  @ApiPropertyOptional({ example: 'BTCUSDT_1m_2021-01-03', description: 'a shipped dataset; else exchange/symbol/timeframe/from/to from market-data' }) @ValidateIf((_, v) => v !== undefined) @IsString() @Length(1, 100) @Matches(PRINTABLE, printable) dataset?: string;
  @ApiPropertyOptional({ example: 'binance' }) @ValidateIf((o: RunBacktestDto) => o.dataset === undefined) @Matches(EXCHANGE_ID, { message: 'exchange must be a ccxt exchange id' }) exchange?: string;
  @ApiPropertyOptional({ example: 'BTC/USDT' }) @ValidateIf((o: RunBacktestDto) => o.dataset === undefined) @IsMarketSymbol() symbol?: string;
  @ApiPropertyOptional({ example: '1h', enum: TIMEFRAMES }) @ValidateIf((o: RunBacktestDto) => o.dataset === undefined) @IsIn(TIMEFRAMES) timeframe?: Timeframe;
  @ApiPropertyOptional({ example: '2024-01-01T00:00:00Z', format: 'date-time' }) @ValidateIf((o: RunBacktestDto) => o.dataset === undefined) @IsISO8601({ strict: true }) from?: string;
  @ApiPropertyOptional({ example: '2024-02-01T00:00:00Z', format: 'date-time' }) @ValidateIf((o: RunBacktestDto) => o.dataset === undefined) @IsISO8601({ strict: true }) to?: string;
  @ApiPropertyOptional({ example: '10000' }) @ValidateIf((_, v) => v !== undefined) @IsDecimalString({ sign: 'positive' }) initialCapital?: string;
  @ApiPropertyOptional({ example: '0.001', description: 'fraction of notional per fill' }) @ValidateIf((_, v) => v !== undefined) @IsDecimalString({ sign: 'nonNegative' }) commission?: string;
  @ApiPropertyOptional({ example: 5, minimum: 0, maximum: 10000 }) @ValidateIf((_, v) => v !== undefined) @IsNumber() @Min(0) @Max(10_000) slippageBps?: number;
  @ApiPropertyOptional({ example: 'next_open', enum: ['next_open', 'close'] }) @ValidateIf((_, v) => v !== undefined) @IsIn(['next_open', 'close']) fill?: 'next_open' | 'close';
}

export class ListSignalsQuery extends PageQuery {
  @ApiPropertyOptional({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51', format: 'uuid', description: 'one bot only' }) @IsOptional() @IsUUID() botId?: string;
}
