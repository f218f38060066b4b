import { Injectable } from '@nestjs/common';
import { BacktestView, CursorPage, CursorPageRequest, RpcCaller, StrategyBacktestsRun } from '@trading/contracts';
import { getDataset, timeframeToMs } from '@trading/datasets';
import { getStrategy } from '@trading/strategies';
import { isAdmin } from '../bots/bot-view.mapper';
import { BotsService } from '../bots/bots.service';
import { decodeCursor, encodeCursor } from '../database/cursor-codec';
import { InvalidRequestError, NotFoundError } from '../errors/strategy-domain.error';
import { StrategyEntity } from '../strategies/strategy.entity';
import { StrategyRepository } from '../strategies/strategy.repository';
import { BacktestSettings } from './backtest-results';
import { BacktestEntity } from './backtest.entity';
import { BacktestRepository } from './backtest.repository';
import { datasetCandles } from './backtest-candles';

const pct = (value: string | null): number | undefined => (value === null ? undefined : Number(value));

/** Backtest jobs: `run` queues one (a worker picks it up), `list`/`get` follow it. */
@Injectable()
export class BacktestsService {
  constructor(
    private readonly backtests: BacktestRepository,
    private readonly strategies: StrategyRepository,
    private readonly bots: BotsService,
  ) {}

  async run(request: StrategyBacktestsRunRequest): Promise<BacktestView> {
    const { caller } = request;
    const bot = request.botId ? await this.bots.owned(request.botId, caller) : null;
    const strategyId = bot?.strategyId ?? required(request.strategyId, 'strategyId');
    const strategy = isAdmin(caller) ? await this.strategies.findById(strategyId) : await this.strategies.findUsableBy(strategyId, caller.userId);
    if (!strategy) throw new NotFoundError('STRATEGY', strategyId);
    const params = parseParams(strategy, { ...(bot?.strategyParams ?? {}), ...request.params });
    const settings: BacktestSettings = {
      ...(request.dataset && { dataset: getDatasetOr404(request.dataset).name }),
      ...(request.commission !== undefined && { commission: request.commission }),
      ...(request.slippageBps !== undefined && { slippageBps: request.slippageBps }),
      ...(request.fill && { fill: request.fill }),
      ...(bot && botSizingAndExits(bot)),
    };
    let market: { exchange: string; symbol: string; timeframe: string; startTime: Date; endTime: Date };
    if (settings.dataset) {
      const { candles, exchange, symbol, timeframe } = datasetCandles(settings.dataset);
      market = { exchange, symbol, timeframe, startTime: new Date(candles[0].time), endTime: new Date(candles[candles.length - 1].time + timeframeToMs(timeframe)) };
    } else {
      market = {
        exchange: required(request.exchange, 'exchange'),
        symbol: required(request.symbol, 'symbol'),
        timeframe: required(request.timeframe, 'timeframe'),
        startTime: new Date(required(request.from, 'from')),
        endTime: new Date(required(request.to, 'to')),
      };
      if (!(market.endTime > market.startTime)) throw new InvalidRequestError('INVALID_PERIOD', '`to` must be after `from`');
    }
    const job = await this.backtests.create({
      userId: bot?.userId ?? caller.userId,
      botId: bot?.id ?? null,
      strategyId: strategy.id,
      strategy: strategy.strategyType,
      params,
      settings: settings as Record<string, unknown>,
      marketType: bot?.marketType ?? 'spot',
      initialCapital: request.initialCapital ?? bot?.initialCapital ?? '10000',
      ...market,
    });
    return toBacktestView(job, false);
  }

  async list(request: CursorPageRequest): Promise<CursorPage<BacktestView>> {
    const page = await this.backtests.listByUser(request.caller.userId, { after: decodeCursor(request.cursor), limit: request.limit });
    return { items: page.items.map((b) => toBacktestView(b, false)), next: encodeCursor(page.next) };
  }

  async get(backtestId: string, caller: RpcCaller): Promise<BacktestView> {
    const job = isAdmin(caller) ? await this.backtests.findById(backtestId) : await this.backtests.findByIdForUser(backtestId, caller.userId);
    if (!job) throw new NotFoundError('BACKTEST', backtestId);
    return toBacktestView(job, true);
  }
}

type StrategyBacktestsRunRequest = StrategyBacktestsRun.Request;

/** Fields the request validation makes present in this branch; a gap here is a caller error, not a crash. */
function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new InvalidRequestError('MISSING_FIELD', `${name} is required`);
  return value;
}

function getDatasetOr404(name: string) {
  try {
    return getDataset(name);
  } catch {
    throw new NotFoundError('DATASET', name);
  }
}

function parseParams(strategy: StrategyEntity, params: Record<string, unknown>): Record<string, unknown> {
  return { ...(getStrategy(strategy.strategyType).parseParams({ ...strategy.parameters, ...params }) as Record<string, unknown>) };
}

/** A bot's sizing and protective exits in the backtester's terms (percentages stay percent). */
function botSizingAndExits(bot: {
  sizingMode: string;
  positionSizePct: string | null;
  positionSizeFixed: string | null;
  riskPerTradePct: string | null;
  stopLossPct: string | null;
  takeProfitPct: string | null;
  trailingStopPct: string | null;
  trailingStopActive: boolean;
}): Partial<BacktestSettings> {
  const sizing: BacktestSettings['sizing'] =
    bot.sizingMode === 'fixed_quote' && bot.positionSizeFixed
      ? { mode: 'fixed', amount: bot.positionSizeFixed }
      : bot.sizingMode === 'risk_per_trade' && bot.riskPerTradePct
        ? { mode: 'risk', riskFraction: String(Number(bot.riskPerTradePct) / 100) }
        : { mode: 'fraction', fraction: String(Number(bot.positionSizePct ?? '100') / 100) };
  return {
    sizing,
    stopLossPct: pct(bot.stopLossPct),
    takeProfitPct: pct(bot.takeProfitPct),
    ...(bot.trailingStopActive && { trailingStopPct: pct(bot.trailingStopPct) }),
  };
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toBacktestView(b: BacktestEntity, withResults: boolean): BacktestView {
  return {
    id: b.id,
    userId: b.userId,
    botId: b.botId,
    strategyId: b.strategyId,
    strategy: b.strategy,
    params: b.params,
    exchange: b.exchange,
    symbol: b.symbol,
    timeframe: b.timeframe,
    startTime: b.startTime.toISOString(),
    endTime: b.endTime.toISOString(),
    status: b.status,
    progress: b.progress,
    initialCapital: b.initialCapital,
    finalCapital: b.finalCapital,
    totalReturn: b.totalReturn,
    totalTrades: b.totalTrades,
    winRate: b.winRate,
    maxDrawdown: b.maxDrawdown,
    sharpeRatio: b.sharpeRatio,
    error: b.error,
    createdAt: b.createdAt.toISOString(),
    startedAt: iso(b.startedAt),
    finishedAt: iso(b.finishedAt),
    ...(withResults && { stats: b.stats, equityCurve: b.equityCurve, trades: b.trades, dailyResults: b.dailyResults, monthlyResults: b.monthlyResults }),
  };
}
