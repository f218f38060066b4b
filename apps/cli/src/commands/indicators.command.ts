import { readCandleFile } from '@trading/datasets';
import {
  Adx,
  Atr,
  BollingerBands,
  Ema,
  Macd,
  Obv,
  Rsi,
  Sma,
  Stochastic,
  Vwap,
  Wma,
} from '@trading/indicators';
import { Command } from 'commander';

interface Bar {
  readonly time: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

type Value = number | null;
type Output = Value | Record<string, Value>;

/** One requested indicator: its output key (spec with defaults filled in) and a fresh instance. */
export interface IndicatorColumn {
  readonly key: string;
  /** Names of the nested values of a multi-output indicator; empty for a single number. */
  readonly fields: readonly string[];
  readonly update: (bar: Bar) => Output;
}

interface IndicatorKind {
  readonly defaults: readonly number[];
  /** How many of the parameters may be fractional (from the end): bb's multiplier. */
  readonly fractionalLast?: boolean;
  readonly optional?: boolean;
  readonly fields: readonly string[];
  readonly create: (p: number[]) => (bar: Bar) => Output;
}

const num = (x: number): Value => (Number.isFinite(x) ? x : null);

const KINDS: Record<string, IndicatorKind> = {
  sma: { defaults: [20], fields: [], create: ([n]) => ((i) => (b) => num(i.update(b.close)))(new Sma(n)) },
  ema: { defaults: [20], fields: [], create: ([n]) => ((i) => (b) => num(i.update(b.close)))(new Ema(n)) },
  wma: { defaults: [20], fields: [], create: ([n]) => ((i) => (b) => num(i.update(b.close)))(new Wma(n)) },
  rsi: { defaults: [14], fields: [], create: ([n]) => ((i) => (b) => num(i.update(b.close)))(new Rsi(n)) },
  macd: {
    defaults: [12, 26, 9],
    fields: ['macd', 'signal', 'histogram'],
    create: ([f, s, g]) =>
      ((i) => (b) => {
        i.update(b.close);
        return { macd: num(i.macd), signal: num(i.signal), histogram: num(i.histogram) };
      })(new Macd(f, s, g)),
  },
  bb: {
    defaults: [20, 2],
    fractionalLast: true,
    fields: ['upper', 'middle', 'lower'],
    create: ([n, k]) =>
      ((i) => (b) => {
        i.update(b.close);
        return { upper: num(i.upper), middle: num(i.middle), lower: num(i.lower) };
      })(new BollingerBands(n, k)),
  },
  atr: { defaults: [14], fields: [], create: ([n]) => ((i) => (b) => num(i.update(b.high, b.low, b.close)))(new Atr(n)) },
  stoch: {
    defaults: [14, 3, 3],
    fields: ['k', 'd'],
    create: ([k, s, d]) =>
      ((i) => (b) => {
        i.update(b.high, b.low, b.close);
        return { k: num(i.k), d: num(i.d) };
      })(new Stochastic(k, s, d)),
  },
  vwap: {
    defaults: [],
    optional: true,
    fields: [],
    create: ([n]) => ((i) => (b) => num(i.update(b.high, b.low, b.close, b.volume)))(new Vwap(n)),
  },
  obv: { defaults: [], fields: [], create: () => ((i) => (b) => num(i.update(b.close, b.volume)))(new Obv()) },
  adx: { defaults: [14], fields: [], create: ([n]) => ((i) => (b) => num(i.update(b.high, b.low, b.close)))(new Adx(n)) },
};

export const INDICATOR_SPEC_HELP =
  'comma-separated: sma:N, ema:N, wma:N, rsi:N, macd:FAST:SLOW:SIGNAL, bb:N:K, atr:N, stoch:K:SLOWK:D, vwap[:N], obv, adx:N';

/** Parses `sma:20,macd:12:26:9,...`; throws a message naming the bad item. */
export function parseIndicatorSpec(spec: string): IndicatorColumn[] {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new Error(`--spec is empty; expected ${INDICATOR_SPEC_HELP}`);
  const seen = new Set<string>();
  return items.map((item) => {
    const [name, ...rawParams] = item.toLowerCase().split(':');
    const kind = KINDS[name];
    if (!kind) throw new Error(`unknown indicator "${name}" in --spec "${item}"; known: ${Object.keys(KINDS).join(', ')}`);
    const maxParams = kind.optional ? 1 : kind.defaults.length;
    if (rawParams.length > maxParams) {
      throw new Error(`"${item}": ${name} takes ${maxParams === 0 ? 'no' : `at most ${maxParams}`} parameter(s)`);
    }
    const params = rawParams.map((text, index) => {
      const fractional = kind.fractionalLast && index === kind.defaults.length - 1;
      const value = Number(text);
      const ok = text !== '' && Number.isFinite(value) && value > 0 && (fractional || Number.isInteger(value));
      if (!ok) throw new Error(`"${item}": parameter ${index + 1} must be a positive ${fractional ? 'number' : 'integer'}, got "${text}"`);
      return value;
    });
    const full = [...params, ...kind.defaults.slice(params.length)];
    const key = [name, ...full].join(':');
    if (seen.has(key)) throw new Error(`"${item}" is requested twice (as ${key})`);
    seen.add(key);
    try {
      return { key, fields: kind.fields, update: kind.create(full) };
    } catch (error) {
      throw new Error(`"${item}": ${(error as Error).message}`);
    }
  });
}

export type IndicatorRow = { time: string } & Record<string, Output>;

/** Feeds every bar through every column in order: one row per bar, null during warm-up. */
export function computeIndicatorRows(bars: readonly Bar[], columns: readonly IndicatorColumn[]): IndicatorRow[] {
  return bars.map((bar) => {
    const row: IndicatorRow = { time: new Date(bar.time).toISOString() } as IndicatorRow;
    for (const column of columns) row[column.key] = column.update(bar);
    return row;
  });
}

/** A JSON array, one candle object per line. */
export function formatJson(rows: readonly IndicatorRow[]): string {
  if (rows.length === 0) return '[]\n';
  return '[\n' + rows.map((row) => JSON.stringify(row)).join(',\n') + '\n]\n';
}

/** Flat table: nested outputs become `key.field` columns; empty cell during warm-up. */
export function formatCsv(rows: readonly IndicatorRow[], columns: readonly IndicatorColumn[]): string {
  const header = ['time', ...columns.flatMap((c) => (c.fields.length ? c.fields.map((f) => `${c.key}.${f}`) : [c.key]))];
  const cell = (v: Value | undefined) => (v === null || v === undefined ? '' : String(v));
  const lines = rows.map((row) =>
    [
      row.time,
      ...columns.flatMap((c) => {
        const value = row[c.key];
        return c.fields.length ? c.fields.map((f) => cell((value as Record<string, Value>)[f])) : [cell(value as Value)];
      }),
    ].join(','),
  );
  return [header.join(','), ...lines].join('\n') + '\n';
}

export interface IndicatorsOptions {
  data: string;
  spec: string;
  json?: boolean;
  csv?: boolean;
  timeframe?: string;
}

export function runIndicators(options: IndicatorsOptions, write: (text: string) => void, warn: (text: string) => void): void {
  if (options.json && options.csv) throw new Error('choose one of --json and --csv');
  const columns = parseIndicatorSpec(options.spec);
  const { candles, rejected } = readCandleFile(options.data, { timeframe: options.timeframe });
  if (rejected.length > 0) {
    const first = rejected
      .slice(0, 5)
      .map((r) => `line ${r.line}: ${r.reason}`)
      .join('; ');
    warn(`skipped ${rejected.length} invalid row(s) of ${options.data}: ${first}${rejected.length > 5 ? '; ...' : ''}\n`);
  }
  const rows = computeIndicatorRows(candles, columns);
  write(options.csv ? formatCsv(rows, columns) : formatJson(rows));
}

export function registerIndicatorsCommand(program: Command): void {
  program
    .command('indicators')
    .description('compute indicators over a candle file (CSV or JSON) and print them per candle')
    .requiredOption('--data <file>', 'candle file: CSV with a header or JSON (see libs/datasets/README.md)')
    .requiredOption('--spec <list>', INDICATOR_SPEC_HELP)
    .option('--json', 'print a JSON array, one object per candle (default)')
    .option('--csv', 'print a flat CSV table (nested values as key.field columns)')
    .option('--timeframe <tf>', 'reject candles off this timeframe grid (e.g. 1m, 1h)')
    .action((options: IndicatorsOptions) => {
      runIndicators(
        options,
        (text) => process.stdout.write(text),
        (text) => process.stderr.write(text),
      );
    });
}
