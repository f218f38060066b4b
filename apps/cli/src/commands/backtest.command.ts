import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import {
  parseParamValue,
  renderHtmlReport,
  runBacktest,
  toBacktestJson,
  type BacktestConfig,
  type SizingRule,
  type StrategyParams,
} from '@trading/backtest';
import { createStrategy } from '@trading/strategies';
import { addCandleSourceOptions, loadCandleSource, type CandleSourceOptions } from './candle-source';

export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--param key=value` pairs; values become numbers or booleans when they look like one. */
export function parseParamPairs(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new Error(`--param expects key=value, got "${pair}"`);
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

const number = (name: string) => (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${value}"`);
  return n;
};

/** The engine options shared by `backtest` and `optimize`. */
export function addEngineOptions(command: Command): Command {
  return command
    .option('--cash <amount>', 'starting cash (quote)', '10000')
    .option('--commission <fraction>', 'commission per fill as a fraction of notional (0.001 = 0.1 %)', '0')
    .option('--maker-commission <fraction>', 'maker commission (take-profit fills); default --commission')
    .option('--taker-commission <fraction>', 'taker commission (market and stop fills); default --commission')
    .option('--fixed-fee <amount>', 'fixed fee per fill (quote)')
    .option('--slippage-bps <bps>', 'slippage of market and stop fills in basis points', '0')
    .addOption(new Option('--fill <when>', 'fill decisions at the next open or the deciding close').choices(['next_open', 'close']).default('next_open'))
    .option('--size <fraction>', 'position size as a fraction of equity (default 1 = all in)')
    .option('--size-quote <amount>', 'position size as a fixed quote amount')
    .option('--risk <fraction>', 'risk this fraction of equity per trade (needs --stop-loss)')
    .option('--lot <step>', 'quantity step (1 for whole units)', '0.00000001')
    .option('--stop-loss <pct>', 'stop-loss in percent of the entry price', number('--stop-loss'))
    .option('--take-profit <pct>', 'take-profit in percent of the entry price', number('--take-profit'))
    .option('--trailing-stop <pct>', 'trailing stop in percent below the best price', number('--trailing-stop'))
    .option('--days-per-year <n>', 'days used to annualize (365 crypto, 252 stocks)', number('--days-per-year'), 365);
}

export interface EngineCliOptions {
  cash: string;
  commission: string;
  makerCommission?: string;
  takerCommission?: string;
  fixedFee?: string;
  slippageBps: string;
  fill: 'next_open' | 'close';
  size?: string;
  sizeQuote?: string;
  risk?: string;
  lot: string;
  stopLoss?: number;
  takeProfit?: number;
  trailingStop?: number;
  daysPerYear: number;
}

export function engineConfig(o: EngineCliOptions): BacktestConfig {
  const sizings = [o.size, o.sizeQuote, o.risk].filter((x) => x !== undefined);
  if (sizings.length > 1) throw new Error('use only one of --size, --size-quote, --risk');
  let sizing: SizingRule = { mode: 'fraction', fraction: o.size ?? '1' };
  if (o.sizeQuote !== undefined) sizing = { mode: 'fixed', amount: o.sizeQuote };
  if (o.risk !== undefined) sizing = { mode: 'risk', riskFraction: o.risk };
  return {
    cash: o.cash,
    commission: o.commission,
    makerCommission: o.makerCommission,
    takerCommission: o.takerCommission,
    fixedFee: o.fixedFee,
    slippageBps: o.slippageBps,
    fill: o.fill,
    sizing,
    lot: o.lot,
    stopLossPct: o.stopLoss,
    takeProfitPct: o.takeProfit,
    trailingStopPct: o.trailingStop,
    daysPerYear: o.daysPerYear,
  };
}

interface BacktestCliOptions extends EngineCliOptions, CandleSourceOptions {
  strategy: string;
  param: string[];
  json?: boolean;
  report?: string;
  equityPoints?: number;
}

export function registerBacktestCommand(program: Command): void {
  const command = program
    .command('backtest')
    .description('run a strategy over historical candles and report trades and statistics')
    .requiredOption('--strategy <name>', 'strategy name (e.g. sma_cross)')
    .option('--param <key=value>', 'strategy parameter (repeatable)', collect, [])
    .option('--json', 'print the result as one JSON document on stdout, nothing else')
    .option('--report <file.html>', 'write a self-contained HTML report')
    .option('--equity-points <n>', 'thin the JSON equity curve to about n points', number('--equity-points'));
  addEngineOptions(addCandleSourceOptions(command)).action((options: BacktestCliOptions) => runBacktestCommand(options));
}

async function runBacktestCommand(o: BacktestCliOptions): Promise<void> {
  const { candles, source } = await loadCandleSource(o);
  const params = parseParamPairs(o.param);
  const strategy = createStrategy(o.strategy, params);
  const config = engineConfig(o);
  const started = process.hrtime.bigint();
  const run = runBacktest(candles, strategy, config);
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const json = toBacktestJson(run, { maxEquityPoints: o.equityPoints });
  const typedParams: StrategyParams = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, parseParamValue(v)]));
  if (o.report) {
    const details: Record<string, string> = {
      strategy: `${o.strategy} ${JSON.stringify(typedParams)}`,
      data: `${source} (${candles.length} candles)`,
      costs: `commission ${o.commission}, slippage ${o.slippageBps} bps, fill ${o.fill}, lot ${o.lot}`,
    };
    writeFileSync(o.report, renderHtmlReport(json, { title: `Backtest: ${o.strategy}`, details }));
  }
  if (o.json) {
    process.stdout.write(JSON.stringify({ strategy: o.strategy, params: typedParams, data: source, ...json }) + '\n');
    return;
  }
  printSummary(json, { strategy: o.strategy, candles: candles.length, elapsedMs, report: o.report, skipped: run.skippedOrders });
}

function printSummary(
  json: ReturnType<typeof toBacktestJson>,
  info: { strategy: string; candles: number; elapsedMs: number; report?: string; skipped: number },
): void {
  const s = json.stats;
  const f = (v: number | null, digits = 2) => (v === null ? '-' : v.toFixed(digits));
  const rows: [string, string][] = [
    ['Period', `${s.start} .. ${s.end} (${f(s.durationDays, 1)} days, ${s.candles} candles)`],
    ['Final equity', f(s.equityFinal)],
    ['Return %', f(s.returnPct)],
    ['Buy & hold %', f(s.buyHoldReturnPct)],
    ['Max drawdown %', f(s.maxDrawdownPct)],
    ['Sharpe / Sortino / Calmar', `${f(s.sharpe)} / ${f(s.sortino)} / ${f(s.calmar)}`],
    ['Exposure %', f(s.exposurePct)],
    ['Trades (closed)', String(s.trades)],
    ['Win rate %', f(s.winRatePct)],
    ['Best / worst / avg trade %', `${f(s.bestTradePct)} / ${f(s.worstTradePct)} / ${f(s.avgTradePct)}`],
    ['Profit factor', f(s.profitFactor)],
    ['Commissions', f(s.commissions)],
  ];
  if (json.openPosition) {
    const p = json.openPosition;
    rows.push(['Open position', `${p.side} ${p.qty} @ ${p.entryPrice} since ${p.entryTime} (unrealized ${f(p.unrealizedPnl)})`]);
  }
  if (info.skipped > 0) rows.push(['Orders skipped (< 1 lot)', String(info.skipped)]);
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`Backtest ${info.strategy}: ${info.candles} candles in ${info.elapsedMs.toFixed(1)} ms`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  if (info.report) console.log(`Report written to ${info.report}`);
}
