import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, ValidateIf } from 'class-validator';
import { IsDecimalString, RISK_BREACH_ACTIONS, RISK_LIMIT_KINDS, RISK_LIMIT_SCOPES, TRADING_STATES } from '@trading/contracts';
import type { RiskBreachAction, RiskLimitKind, RiskLimitScope, TradingState } from '@trading/contracts';

const BOT_ID = '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51';

/** A scope: `global`, `user` (scopeId = a user id) or `bot` (scopeId = a bot id). */
export class RiskScopeQuery {
  @ApiProperty({ example: 'bot', enum: RISK_LIMIT_SCOPES }) @IsIn(RISK_LIMIT_SCOPES) scope: RiskLimitScope;
  @ApiPropertyOptional({ example: BOT_ID, format: 'uuid', description: 'required for the user and bot scopes' })
  @ValidateIf((o: RiskScopeQuery) => o.scope !== 'global' || o.scopeId !== undefined)
  @IsUUID()
  scopeId?: string;
}

export class SetRiskLimitDto {
  @ApiProperty({ example: 'bot', enum: RISK_LIMIT_SCOPES }) @IsIn(RISK_LIMIT_SCOPES) scope: RiskLimitScope;
  @ApiPropertyOptional({ example: BOT_ID, format: 'uuid', description: 'required for the user and bot scopes' })
  @ValidateIf((o: SetRiskLimitDto) => o.scope !== 'global' || o.scopeId !== undefined)
  @IsUUID()
  scopeId?: string;
  @ApiProperty({ example: 'max_daily_loss_pct', enum: RISK_LIMIT_KINDS }) @IsIn(RISK_LIMIT_KINDS) limitType: RiskLimitKind;
  @ApiProperty({ example: '5', description: 'in the limit unit: quote currency, percent, ratio, count or minutes (see apps/risk/README.md)' })
  @IsDecimalString({ sign: 'nonNegative' })
  value: string;
  @ApiPropertyOptional({ example: 'halt', enum: RISK_BREACH_ACTIONS }) @IsOptional() @IsIn(RISK_BREACH_ACTIONS) actionOnBreach?: RiskBreachAction;
  @ApiPropertyOptional({ example: 'stop the bot after a bad day' }) @IsOptional() @IsString() @MaxLength(500) description?: string;
}

export class SetTradingStateDto {
  @ApiProperty({ example: 'bot', enum: RISK_LIMIT_SCOPES }) @IsIn(RISK_LIMIT_SCOPES) scope: RiskLimitScope;
  @ApiPropertyOptional({ example: BOT_ID, format: 'uuid', description: 'required for the user and bot scopes' })
  @ValidateIf((o: SetTradingStateDto) => o.scope !== 'global' || o.scopeId !== undefined)
  @IsUUID()
  scopeId?: string;
  @ApiProperty({ example: 'HALTED', enum: TRADING_STATES, description: 'HALTED on the global scope is the kill switch (admin only)' })
  @IsIn(TRADING_STATES)
  state: TradingState;
  @ApiPropertyOptional({ example: 'exchange incident' }) @IsOptional() @IsString() @MaxLength(500) reason?: string;
}

export class RiskLimitDto {
  @ApiProperty({ example: '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f60', format: 'uuid' }) id: string;
  @ApiProperty({ example: 'bot', enum: RISK_LIMIT_SCOPES }) scope: string;
  @ApiProperty({ example: BOT_ID, nullable: true, type: String, format: 'uuid' }) scopeId: string | null;
  @ApiProperty({ example: 'max_daily_loss_pct', enum: RISK_LIMIT_KINDS }) limitType: string;
  @ApiProperty({ example: '5.00000000' }) value: string;
  @ApiProperty({ example: 'halt', enum: RISK_BREACH_ACTIONS }) actionOnBreach: string;
  @ApiProperty({ example: [80, 95], type: [Number] }) warnAtPcts: number[];
  @ApiProperty({ example: true }) isActive: boolean;
  @ApiProperty({ example: null, nullable: true, type: String }) description: string | null;
  @ApiProperty({ example: '2026-11-20T12:00:00.000Z' }) updatedAt: string;
}

export class RiskLimitListDto {
  @ApiProperty({ type: [RiskLimitDto] }) items: RiskLimitDto[];
}

export class DeletedDto {
  @ApiProperty({ example: true }) deleted: boolean;
}

export class TradingStateDto {
  @ApiProperty({ example: 'bot', enum: RISK_LIMIT_SCOPES }) scope: string;
  @ApiProperty({ example: BOT_ID, nullable: true, type: String, format: 'uuid' }) scopeId: string | null;
  @ApiProperty({ example: 'HALTED', enum: TRADING_STATES }) state: string;
  @ApiProperty({ example: 'max_daily_loss_pct reached', nullable: true, type: String }) reason: string | null;
  @ApiProperty({ example: 'risk', nullable: true, type: String, description: '"risk" for automatic changes, else the user id' }) changedBy: string | null;
  @ApiProperty({ example: '2026-11-20T12:00:00.000Z', nullable: true, type: String }) changedAt: string | null;
}
