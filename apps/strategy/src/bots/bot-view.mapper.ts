import { BotConfigurationView, BotStatusChanged, RpcCaller, StrategyBotView } from '@trading/contracts';
import { storedTarget } from '../evaluation/candle-evaluation.service';
import { BotConfigurationEntity } from './bot-configuration.entity';
import { BotStateEntity } from './bot-state.entity';
import { BotEntity, BotStatus } from './bot.entity';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toBotView(bot: BotEntity, strategyType: string, state: BotStateEntity | null): StrategyBotView {
  return {
    id: bot.id,
    userId: bot.userId,
    name: bot.name,
    description: bot.description,
    strategyId: bot.strategyId,
    strategy: strategyType,
    strategyParams: bot.strategyParams,
    exchange: bot.exchange,
    symbol: bot.symbol,
    timeframe: bot.timeframe as StrategyBotView['timeframe'],
    mode: bot.mode === 'live' ? 'live' : 'paper',
    marketType: bot.marketType,
    status: bot.status,
    initialCapital: bot.initialCapital,
    currentEquity: bot.currentEquity,
    leverage: bot.leverage,
    sizingMode: bot.sizingMode,
    positionSizePct: bot.positionSizePct,
    positionSizeFixed: bot.positionSizeFixed,
    riskPerTradePct: bot.riskPerTradePct,
    stopLossPct: bot.stopLossPct,
    takeProfitPct: bot.takeProfitPct,
    trailingStopPct: bot.trailingStopPct,
    trailingStopActive: bot.trailingStopActive,
    dailyTargetPct: bot.dailyTargetPct,
    maxDailyLossPct: bot.maxDailyLossPct,
    maxWeeklyLossPct: bot.maxWeeklyLossPct,
    maxDrawdownPct: bot.maxDrawdownPct,
    maxDailyTrades: bot.maxDailyTrades,
    maxPositions: bot.maxPositions,
    apiKeyId: bot.apiKeyId,
    riskSettings: bot.riskSettings,
    target: storedTarget(state),
    lastCandleTime: iso(state?.lastCandleTime ?? null),
    lastHeartbeat: iso(bot.lastHeartbeat),
    startedAt: iso(bot.startedAt),
    stoppedAt: iso(bot.stoppedAt),
    createdAt: bot.createdAt.toISOString(),
    updatedAt: bot.updatedAt.toISOString(),
  };
}

export function toConfigurationView(c: BotConfigurationEntity): BotConfigurationView {
  return {
    version: c.version,
    config: c.config,
    changeReason: c.changeReason,
    effectiveFrom: c.effectiveFrom.toISOString(),
    effectiveUntil: iso(c.effectiveUntil),
    createdBy: c.createdBy,
  };
}

/** The event vocabulary has no `archived`: an archived bot is reported stopped, with the reason. */
export function toEventStatus(status: BotStatus): BotStatusChanged.Payload['status'] {
  return status === 'archived' ? 'stopped' : status;
}

export function isAdmin(caller: RpcCaller): boolean {
  return caller.role === 'admin';
}
