import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { Streams } from '@trading/contracts';
import { loadConfigOrExit, REDIS_CLIENT } from '@trading/service-runtime';
import { OutboxRelay, streamKey } from '@trading/streams';
import type Redis from 'ioredis';
import { waitForConsumerLag } from './feeds/consumer-lag';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { MarketDataAppModule } from './app.module';
import { MarketDataEnv } from './config/market-data.env';
import { parseFeedSpecs } from './feeds/feed-spec';
import { ReplayFeed } from './feeds/replay.feed';
import { IngestService } from './ingest/ingest.service';
import { waitForOutboxDrained } from './outbox/market-outbox';
import { OhlcvPartitionMaintenance } from './partitions/ohlcv-partition-maintenance';
import { downloadCandles } from './tasks/download-candles.task';
import { importCandles } from './tasks/import-candles.task';

/**
 * One-shot market-data tasks, run by `tradectl data ...` (which spawns this file):
 *   node dist/apps/market-data/src/task.js import <file> --exchange ID --symbol BASE/QUOTE --timeframe TF [--publish] [--json]
 *   node dist/apps/market-data/src/task.js download --exchange ID --symbol BASE/QUOTE --timeframe TF --since ISO [--until ISO] [--json]
 *   node dist/apps/market-data/src/task.js replay <dataset|file> [--exchange --symbol --timeframe] [--speed max|N] [--json]
 * They use the service's own code path (validation, aggregation, store, cache, publish through market.outbox) with its
 * configuration (DATABASE_URL, REDIS_URL, ...); results go to stdout, progress and logs to stderr.
 */
const OUTBOX_DRAIN_TIMEOUT_MS = 30_000;

async function withService<T>(run: (ingest: IngestService, partitions: OhlcvPartitionMaintenance, config: MarketDataEnv, redis: Redis, relay: OutboxRelay) => Promise<T>): Promise<T> {
  process.env.MARKET_FEEDS = 'none';
  const config = loadConfigOrExit('market-data', MarketDataEnv);
  const app = await NestFactory.createApplicationContext(MarketDataAppModule.forRoot(config, { task: true }), { logger: ['error', 'warn'] });
  try {
    const relay = app.get(OutboxRelay);
    const result = await run(app.get(IngestService), app.get(OhlcvPartitionMaintenance), config, app.get<Redis>(REDIS_CLIENT), relay);
    // The events the task queued go out before it exits (its own relay, or a running service's when that leads).
    const waiting = await waitForOutboxDrained(relay, OUTBOX_DRAIN_TIMEOUT_MS);
    if (waiting) process.stderr.write(`warning: ${waiting} events still wait in market.outbox; the market-data service publishes them when it runs\n`);
    return result;
  } finally {
    await app.close();
  }
}

function progressBar(label: string, enabled: boolean) {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
  let started = false;
  return {
    update: (done: number, total: number) => {
      if (!started) bar.start(total, 0);
      started = true;
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

function print(result: unknown, json: boolean, text: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${text()}\n`);
}

const program = new Command('market-data-task').showHelpAfterError();

program
  .command('import')
  .argument('<file>')
  .requiredOption('--exchange <id>')
  .requiredOption('--symbol <BASE/QUOTE>')
  .requiredOption('--timeframe <tf>')
  .option('--publish', 'also cache and publish the candles, as a live feed would', false)
  .option('--json', 'print the report as JSON', false)
  .action(async (file: string, opts: { exchange: string; symbol: string; timeframe: string; publish: boolean; json: boolean }) => {
    const bar = progressBar('import', !opts.json && process.stderr.isTTY === true);
    const report = await withService((ingest, partitions) => importCandles(ingest, partitions, { file, ...opts }, bar.update));
    bar.stop();
    print(report, opts.json, () =>
      [
        `${report.file}: ${report.rows} rows, ${report.stored} stored, ${report.alreadyStored} already stored, ${report.rejected.length} rejected`,
        ...Object.entries(report.aggregated).map(([tf, n]) => `  built ${n} ${tf} candles`),
        ...report.rejected.map((r) => `  line ${r.line}: ${r.reason}`),
      ].join('\n'),
    );
  });

program
  .command('download')
  .requiredOption('--exchange <id>')
  .requiredOption('--symbol <BASE/QUOTE>')
  .requiredOption('--timeframe <tf>')
  .requiredOption('--since <iso>')
  .option('--until <iso>', 'end (exclusive); default now')
  .option('--json', 'print the report as JSON', false)
  .action(async (opts: { exchange: string; symbol: string; timeframe: string; since: string; until?: string; json: boolean }) => {
    const since = Date.parse(opts.since);
    const until = opts.until ? Date.parse(opts.until) : Date.now();
    if (Number.isNaN(since) || Number.isNaN(until)) throw new Error('--since and --until must be ISO-8601 dates');
    const bar = progressBar('download', !opts.json);
    const report = await withService((ingest, partitions, config) => {
      const overrides = config.CCXT_OPTIONS ? (JSON.parse(config.CCXT_OPTIONS) as { urls?: Record<string, unknown>; options?: Record<string, unknown> }) : {};
      return downloadCandles(ingest, partitions, { ...opts, since, until, ccxt: { enableRateLimit: config.CCXT_RATE_LIMIT, ...overrides } }, bar.update);
    });
    bar.stop();
    print(report, opts.json, () =>
      [
        `${opts.exchange} ${opts.symbol} ${opts.timeframe}: ${report.fetched} fetched, ${report.stored} new stored, aggregated ${JSON.stringify(report.aggregated)}`,
        ...report.gaps.map((g) => `  missing ${g.missing} candles the exchange did not return: ${g.from} .. ${g.to}`),
      ].join('\n'),
    );
  });

program
  .command('replay')
  .argument('<source>', 'a shipped dataset name or a candle file path')
  .option('--exchange <id>')
  .option('--symbol <BASE/QUOTE>')
  .option('--timeframe <tf>')
  .option('--speed <max|N>', 'max, or N times real time', 'max')
  .option('--json', 'print the report as JSON', false)
  .action(async (source: string, opts: { exchange?: string; symbol?: string; timeframe?: string; speed: string; json: boolean }) => {
    const spec = source.includes('/') || source.includes('.')
      ? parseFeedSpecs(`replay-file:${opts.exchange}:${opts.symbol}:${opts.timeframe}:${source}@${opts.speed}`)[0]
      : parseFeedSpecs(`replay:${source}@${opts.speed}`)[0];
    if (spec.kind !== 'replay') throw new Error('not a replay source');
    const totals = { accepted: 0, rejected: 0, published: 0 };
    await withService(async (ingest, _partitions, config, redis, relay) => {
      // At full speed, stay within REPLAY_MAX_CONSUMER_LAG of the slowest consumer (as the service's feed does).
      const lagKey = streamKey(config.REDIS_NAMESPACE, Streams.MarketData);
      const feed = new ReplayFeed({ ...spec, waitForConsumers: () => waitForConsumerLag(redis, lagKey, config.REPLAY_MAX_CONSUMER_LAG, undefined, () => relay.pendingCount()) });
      totals.rejected += feed.rejected.length;
      const bar = progressBar('replay', !opts.json);
      let done = 0;
      await feed.run(async (batch) => {
        const r = await ingest.ingest(batch, 'replay');
        totals.accepted += r.accepted;
        totals.rejected += r.rejected;
        totals.published += r.stored;
        done += batch.candles.length;
        bar.update(done, feed.size);
      }, new AbortController().signal);
      bar.stop();
    });
    print(totals, opts.json, () => `replayed ${spec.exchange} ${spec.symbol} ${spec.timeframe}: ${totals.accepted} accepted, ${totals.rejected} rejected, ${totals.published} new candles published`);
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
