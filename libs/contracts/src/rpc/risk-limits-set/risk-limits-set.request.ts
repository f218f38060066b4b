import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsNumber, IsOptional, IsString, MaxLength, Max, Min, ValidateIf } from 'class-validator';
import { IsDecimalString } from '../../validation/is-decimal-string.decorator';
import { RISK_BREACH_ACTIONS, RISK_LIMIT_KINDS, RiskBreachAction, RiskLimitKind, RiskScopeRequest } from '../risk-views/risk-views';

/** Creates or replaces the limit of one type on a scope (global: admin only). */
export class RiskLimitsSetRequest extends RiskScopeRequest {
  @IsIn(RISK_LIMIT_KINDS) limitType: RiskLimitKind;
  @IsDecimalString({ sign: 'nonNegative' }) value: string;
  @IsOptional() @IsIn(RISK_BREACH_ACTIONS) actionOnBreach?: RiskBreachAction;
  /** Percent of the limit at which a warning is recorded; default [80, 95]. */
  @IsOptional() @IsArray() @ArrayMaxSize(5) @IsNumber({ maxDecimalPlaces: 2 }, { each: true }) @Min(0.01, { each: true }) @Max(100, { each: true }) warnAtPcts?: number[];
  @IsOptional() @IsBoolean() isActive?: boolean;
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(500) description?: string | null;
}
