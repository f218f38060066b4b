import { registerDecorator, ValidationOptions } from 'class-validator';
import { datasetPath, SHIPPED_DATASETS, timeframeToMs } from '@trading/datasets';

export type FeedSpec =
  | { kind: 'replay'; dataset: string; file: string; exchange: string; symbol: string; timeframe: string; speed: number | 'max' }
  | { kind: 'ccxt'; exchange: string; symbol: string; timeframe: string; watch: boolean };

/**
 * Parses MARKET_FEEDS: a comma-separated list of
 *   replay:<dataset>[@max|@<times real time>]       e.g. replay:BTCUSDT_1m_2021-01-03@max
 *   replay-file:<exchange>:<BASE/QUOTE>:<timeframe>:<path>[@speed]   any CSV/JSON candle file
 *   ccxt:<exchange id>:<BASE/QUOTE>:<timeframe>[:watch]  e.g. ccxt:binance:BTC/USDT:1m:watch
 * or `none` (no feed: the service only answers queries). Throws with every problem listed.
 */
export function parseFeedSpecs(value: string): FeedSpec[] {
  const { specs, problems } = readFeedSpecs(value);
  if (problems.length) throw new Error(`invalid MARKET_FEEDS:\n  - ${problems.join('\n  - ')}`);
  return specs;
}

/** Config validation: MARKET_FEEDS parses (every problem is listed in the violation, so the service exits 78). */
export function IsFeedSpecs(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isFeedSpecs',
      target: object.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && readFeedSpecs(value).problems.length === 0,
        defaultMessage: (args) => (typeof args?.value === 'string' ? readFeedSpecs(args.value).problems.join('; ') : 'must be a string'),
      },
    });
}

function readFeedSpecs(value: string): { specs: FeedSpec[]; problems: string[] } {
  const problems: string[] = [];
  const specs: FeedSpec[] = [];
  if (value.trim() === 'none') return { specs, problems };
  for (const raw of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [kind, ...rest] = raw.split(':');
    if (kind === 'replay') {
      const [dataset, speedText = 'max'] = rest.join(':').split('@');
      const info = SHIPPED_DATASETS.find((d) => d.name === dataset);
      if (!info) {
        problems.push(`"${raw}": unknown dataset "${dataset}" (shipped: ${SHIPPED_DATASETS.map((d) => d.name).join(', ')})`);
        continue;
      }
      const speed = speedText === 'max' ? 'max' : Number(speedText);
      if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0)) {
        problems.push(`"${raw}": speed must be "max" or a positive number`);
        continue;
      }
      specs.push({ kind: 'replay', dataset: info.name, file: datasetPath(info.name), exchange: info.exchange, symbol: info.symbol, timeframe: info.timeframe, speed });
    } else if (kind === 'replay-file') {
      const [exchange, symbol, timeframe, ...pathParts] = rest;
      const [file, speedText = 'max'] = pathParts.join(':').split('@');
      const speed = speedText === 'max' ? 'max' : Number(speedText);
      if (!exchange || !symbol || !timeframe || !file) problems.push(`"${raw}": expected replay-file:<exchange>:<BASE/QUOTE>:<timeframe>:<path>`);
      else if (speed !== 'max' && !(Number.isFinite(speed) && speed > 0)) problems.push(`"${raw}": speed must be "max" or a positive number`);
      else specs.push({ kind: 'replay', dataset: file, file, exchange, symbol, timeframe, speed });
    } else if (kind === 'ccxt') {
      const [exchange, symbol, timeframe, watch, ...extra] = rest;
      if (!exchange || !/^[a-z0-9]+$/.test(exchange)) problems.push(`"${raw}": exchange id missing or invalid`);
      else if (!symbol || !/^[A-Z0-9]+\/[A-Z0-9]+$/.test(symbol)) problems.push(`"${raw}": symbol must look like BASE/QUOTE`);
      // A misspelt suffix must not quietly become REST polling.
      else if ((watch !== undefined && watch !== 'watch') || extra.length) problems.push(`"${raw}": unknown suffix ":${[watch, ...extra].join(':')}" (the only one is ":watch")`);
      else {
        try {
          timeframeToMs(timeframe ?? '');
          specs.push({ kind: 'ccxt', exchange, symbol, timeframe, watch: watch === 'watch' });
        } catch (error) {
          problems.push(`"${raw}": ${(error as Error).message}`);
        }
      }
    } else problems.push(`"${raw}": unknown feed kind "${kind}" (use replay, replay-file, ccxt or none)`);
  }
  if (!specs.length && !problems.length) problems.push('names no feed (use "none" for no feed)');
  return { specs, problems };
}
