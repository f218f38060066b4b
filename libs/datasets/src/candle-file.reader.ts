import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { validateCandle } from './candle-validation';
import { isDecimalText, parseTimeValue } from './time-value';
import { timeframeToMs } from './timeframe';

/** The prices of a candle exactly as written in the file (decimal strings, never rounded). */
export interface ExactOhlcv {
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/**
 * One accepted candle. The numeric fields make it a `Candle` for indicators and strategies;
 * `exact` keeps the original decimal strings for storage and accounting.
 */
export interface ParsedCandle {
  /** Open time, epoch milliseconds UTC. */
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
  readonly exact: ExactOhlcv;
}

export interface RejectedRow {
  /** 1-based line in the file (for JSON: the line where the array element starts). */
  readonly line: number;
  readonly reason: string;
}

export interface CandleFileContent {
  readonly candles: ParsedCandle[];
  readonly rejected: RejectedRow[];
}

export interface ReadCandleFileOptions {
  /** When given, candle open times must lie on this timeframe's UTC grid. */
  readonly timeframe?: string;
  /** Force the format instead of guessing it from the extension / first character. */
  readonly format?: 'csv' | 'json';
  /** When given (epoch ms, with `timeframe`), a candle whose close time is later has not closed yet and is refused. */
  readonly closedBy?: number;
}

/** Time columns in order of preference (exact epoch before formatted text). */
const TIME_COLUMNS = ['timestamp_ms', 'timestamp', 'time', 'date', 'datetime', 'datetime_utc', 'open_time', ''];
const VALUE_COLUMNS = ['open', 'high', 'low', 'close', 'volume'] as const;
type ValueColumn = (typeof VALUE_COLUMNS)[number];

interface RawRow {
  readonly line: number;
  readonly time: unknown;
  readonly values: Record<ValueColumn, unknown>;
}

/**
 * Reads an OHLCV file (CSV with a header, or JSON: an array of objects or of
 * `[time, open, high, low, close, volume]` arrays). Bad rows are not fatal: each is listed in
 * `rejected` with its line and reason; a file without the needed columns throws.
 */
export function readCandleFile(path: string, options: ReadCandleFileOptions = {}): CandleFileContent {
  const text = readFileSync(path, 'utf8');
  return parseCandleText(text, { ...options, format: options.format ?? guessFormat(path, text) });
}

/** Same as {@link readCandleFile} over text already in memory. */
export function parseCandleText(text: string, options: ReadCandleFileOptions = {}): CandleFileContent {
  if (options.timeframe !== undefined) timeframeToMs(options.timeframe);
  const format = options.format ?? guessFormat('', text);
  const rows = format === 'json' ? jsonRows(text) : csvRows(text);
  return validateRows(rows, options.timeframe, options.closedBy);
}

function guessFormat(path: string, text: string): 'csv' | 'json' {
  const ext = extname(path).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv') return 'csv';
  return text.trimStart().startsWith('[') ? 'json' : 'csv';
}

function validateRows(rows: Iterable<RawRow | RejectedRow>, timeframe: string | undefined, closedBy?: number): CandleFileContent {
  const candles: ParsedCandle[] = [];
  const rejected: RejectedRow[] = [];
  let previousTime: number | undefined;
  for (const row of rows) {
    if ('reason' in row) {
      rejected.push(row);
      continue;
    }
    let result = toCandle(row, previousTime, timeframe);
    if (typeof result !== 'string' && closedBy !== undefined && timeframe && result.time + timeframeToMs(timeframe) > closedBy) {
      result = `candle not closed yet: closes at ${new Date(result.time + timeframeToMs(timeframe)).toISOString()}, in the future`;
    }
    if (typeof result === 'string') {
      rejected.push({ line: row.line, reason: result });
    } else {
      candles.push(result);
      previousTime = result.time;
    }
  }
  return { candles, rejected };
}

function toCandle(row: RawRow, previousTime: number | undefined, timeframe: string | undefined): ParsedCandle | string {
  const timeText = cellText(row.time);
  const time = timeText === undefined ? null : parseTimeValue(timeText);
  if (time === null) return `invalid time ${JSON.stringify(timeText ?? row.time)}`;
  const exact: Partial<Record<ValueColumn, string>> = {};
  for (const column of VALUE_COLUMNS) {
    const text = cellText(row.values[column]);
    if (text === undefined || !isDecimalText(text)) return `invalid ${column} ${JSON.stringify(text ?? row.values[column])}`;
    exact[column] = text;
  }
  const e = exact as ExactOhlcv;
  const candle: ParsedCandle = {
    time,
    open: Number(e.open),
    high: Number(e.high),
    low: Number(e.low),
    close: Number(e.close),
    volume: Number(e.volume),
    exact: e,
  };
  return validateCandle(candle, { previousTime, timeframe }) ?? candle;
}

function cellText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  return undefined;
}

function* csvRows(text: string): Generator<RawRow | RejectedRow> {
  const records = parse(text, {
    info: true,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: true,
    bom: true,
  }) as { record: string[]; info: { lines: number } }[];
  if (records.length === 0) throw new Error('candle file is empty');
  const header = records[0].record.map((name) => name.toLowerCase());
  const timeIndex = findTimeColumn(header);
  const valueIndex = {} as Record<ValueColumn, number>;
  for (const column of VALUE_COLUMNS) {
    const index = header.indexOf(column);
    if (index < 0) throw new Error(`candle file has no "${column}" column (header: ${records[0].record.join(',')})`);
    valueIndex[column] = index;
  }
  for (const { record, info } of records.slice(1)) {
    if (record.length !== header.length) {
      yield { line: info.lines, reason: `expected ${header.length} columns, found ${record.length}` };
      continue;
    }
    const values = {} as Record<ValueColumn, unknown>;
    for (const column of VALUE_COLUMNS) values[column] = record[valueIndex[column]];
    yield { line: info.lines, time: record[timeIndex], values };
  }
}

function findTimeColumn(header: string[]): number {
  for (const name of TIME_COLUMNS) {
    const index = header.indexOf(name);
    if (index >= 0 && (name !== '' || index === 0)) return index;
  }
  throw new Error(
    `candle file has no time column: expected one named ${TIME_COLUMNS.filter(Boolean).join(', ')} or an unnamed first column`,
  );
}

function* jsonRows(text: string): Generator<RawRow | RejectedRow> {
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) throw new Error('JSON candle file must hold an array of candles');
  const lines = topLevelElementLines(text);
  for (let i = 0; i < data.length; i++) {
    const item: unknown = data[i];
    const line = lines[i] ?? 1;
    if (Array.isArray(item)) {
      if (item.length < 6) {
        yield { line, reason: `expected [time, open, high, low, close, volume], found ${item.length} values` };
        continue;
      }
      const [time, open, high, low, close, volume] = item as unknown[];
      yield { line, time, values: { open, high, low, close, volume } };
    } else if (item !== null && typeof item === 'object') {
      const byName = new Map(Object.entries(item).map(([k, v]) => [k.toLowerCase(), v]));
      const timeKey = TIME_COLUMNS.find((name) => name !== '' && byName.has(name));
      const values = {} as Record<ValueColumn, unknown>;
      for (const column of VALUE_COLUMNS) values[column] = byName.get(column);
      yield { line, time: timeKey === undefined ? undefined : byName.get(timeKey), values };
    } else {
      yield { line, reason: 'expected an object or an array' };
    }
  }
}

/** Line number (1-based) where each element of the top-level JSON array starts. */
function topLevelElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') line++;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (depth === 1 && expectingElement && ch !== ']') {
      lines.push(line);
      expectingElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectingElement = true;
  }
  return lines;
}
