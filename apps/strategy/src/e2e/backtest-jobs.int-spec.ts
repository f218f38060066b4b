import Redis from 'ioredis';
import { v7 } from 'uuid';
import { runBacktest, toBacktestJson } from '@trading/backtest';
import { datasetPath, readCandleFile } from '@trading/datasets';
import { BacktestView, RpcCaller, RpcPatterns } from '@trading/contracts';
import { createStrategy } from '@trading/strategies';
import { RpcClient } from '@trading/streams';
import path from 'node:path';
import { createTestDatabase, repoRoot, TestDatabase, testRedisUrl, uniqueRedisNamespace, waitFor } from '@trading/testing';
import { execFileSync } from 'node:child_process';
import { freePort, spawnNode, SpawnedProcess } from '@trading/testing';
import { buildAndMigrate, ServiceInstance, startStrategyService } from './__fixtures__/strategy-service.fixture';

/** Backtests on request: a job queued over RPC, run by the service's worker, stored with its results. */
describe('strategy service: backtest jobs', () => {
  const owner: RpcCaller = { userId: v7(), role: 'trader' };
  const stranger: RpcCaller = { userId: v7(), role: 'trader' };
  const ns = uniqueRedisNamespace('strategy-bt');
  let db: TestDatabase;
  let rpc: RpcClient;
  let service: ServiceInstance;
  let marketData: SpawnedProcess | undefined;

  const finished = (id: string) =>
    waitFor(
      async () => {
        const job = await rpc.send(RpcPatterns.StrategyBacktestsGet, { caller: owner, backtestId: id });
        return job.status === 'completed' || job.status === 'failed' ? job : undefined;
      },
      { what: `backtest ${id} to finish`, timeoutMs: 60_000, intervalMs: 100 },
    );

  beforeAll(async () => {
    db = await createTestDatabase('strategy_backtests');
    buildAndMigrate(db.url);
    rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: ns, defaultTimeoutMs: 10_000 });
    service = await startStrategyService('strategy-bt', {
      DATABASE_URL: db.url,
      REDIS_NAMESPACE: ns,
      BACKTEST_POLL_INTERVAL_MS: '100',
      MARKET_DATA_RPC_TIMEOUT_MS: '2000',
      STRATEGIES_DIR: path.join(repoRoot, 'libs/strategies/examples'),
    });
  }, 120_000);

  afterAll(async () => {
    service?.process.child.kill('SIGKILL');
    marketData?.child.kill('SIGKILL');
    await rpc?.close();
    const redis = new Redis(testRedisUrl());
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('queued -> completed, with the statistics and trades of a direct libs/backtest run on the same candles', async () => {
    const catalog = await rpc.send(RpcPatterns.StrategyCatalogList, { caller: owner });
    const smaCross = catalog.items.find((s) => s.strategyType === 'sma_cross')!;
    expect(smaCross.isBacktested).toBe(false);
    const params = { fast: 10, slow: 40 };
    const queued: BacktestView = await rpc.send(RpcPatterns.StrategyBacktestsRun, {
      caller: owner,
      strategyId: smaCross.id,
      params,
      dataset: 'BTCUSDT_1m_2021-01-03',
      initialCapital: '10000',
      commission: '0.001',
    });
    // A worker may pick the job up before the answer is sent.
    expect(['queued', 'running']).toContain(queued.status);
    expect(queued).toMatchObject({ strategy: 'sma_cross', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m' });

    const done = await finished(queued.id);
    expect(done).toMatchObject({ status: 'completed', progress: '100.00', error: null });

    const { candles } = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'), { timeframe: '1m' });
    const direct = toBacktestJson(runBacktest(candles, createStrategy('sma_cross', params), { cash: '10000', commission: '0.001' }), { maxEquityPoints: 5000 });
    expect(direct.stats.trades).toBeGreaterThan(5);
    const { openPosition, ...stats } = done.stats as Record<string, unknown>;
    expect(stats).toEqual(JSON.parse(JSON.stringify(direct.stats)));
    expect(openPosition).toEqual(JSON.parse(JSON.stringify(direct.openPosition)));
    expect(done.trades).toEqual(JSON.parse(JSON.stringify(direct.trades)));
    expect(done.equityCurve).toEqual(direct.equity);
    expect(done.dailyResults).toEqual(JSON.parse(JSON.stringify(direct.daily)));
    expect(done.monthlyResults).toEqual(JSON.parse(JSON.stringify(direct.monthly)));
    expect(done.totalTrades).toBe(direct.stats.trades);
    expect(Number(done.finalCapital)).toBeCloseTo(direct.stats.equityFinal, 6);

    const listed = await rpc.send(RpcPatterns.StrategyBacktestsList, { caller: owner });
    expect(listed.items.map((b) => b.id)).toEqual([queued.id]);
    expect(listed.items[0].trades).toBeUndefined();
    await expect(rpc.send(RpcPatterns.StrategyBacktestsGet, { caller: stranger, backtestId: queued.id })).rejects.toMatchObject({ status: 404, code: 'BACKTEST_NOT_FOUND' });
    const after = (await rpc.send(RpcPatterns.StrategyCatalogList, { caller: owner })).items.find((s) => s.id === smaCross.id)!;
    expect(after.isBacktested).toBe(true);
  });

  it('refuses bad requests at once, and a job whose candles cannot be loaded ends failed with the reason', async () => {
    const smaCross = (await rpc.send(RpcPatterns.StrategyCatalogList, { caller: owner })).items.find((s) => s.strategyType === 'sma_cross')!;
    await expect(rpc.send(RpcPatterns.StrategyBacktestsRun, { caller: owner, strategyId: smaCross.id, dataset: 'nope' })).rejects.toMatchObject({ status: 404, code: 'DATASET_NOT_FOUND' });
    await expect(rpc.send(RpcPatterns.StrategyBacktestsRun, { caller: owner, strategyId: smaCross.id, dataset: 'BTCUSDT_1m_2021-01-03', params: { fast: 0 } })).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_STRATEGY_PARAMS',
    });
    // no market-data service listens in this namespace: the candles cannot be fetched
    const queued = await rpc.send(RpcPatterns.StrategyBacktestsRun, {
      caller: owner,
      strategyId: smaCross.id,
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1h',
      from: '2024-01-01T00:00:00Z',
      to: '2024-02-01T00:00:00Z',
    });
    const failed = await finished(queued.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/market\.candles\.range/);
  });

  it('loads user strategies from STRATEGIES_DIR into the catalog, usable by backtests', async () => {
    const userStrategy = (await rpc.send(RpcPatterns.StrategyCatalogList, { caller: owner })).items.find((s) => s.strategyType === 'close_above_sma');
    expect(userStrategy).toMatchObject({ builtin: false, userId: null, parameters: { period: 50, confirm: 2 }, paramsSchema: { properties: { period: { type: 'integer' } } } });
    const queued = await rpc.send(RpcPatterns.StrategyBacktestsRun, { caller: owner, strategyId: userStrategy!.id, params: { period: 30 }, dataset: 'binance_BTCUSDT_1d_2020' });
    const done = await finished(queued.id);
    expect(done).toMatchObject({ status: 'completed', params: { period: 30, confirm: 2 } });
    expect(done.totalTrades).toBeGreaterThan(0);
  });

  it('runs on stored candles fetched from market-data (market.candles.range) with the same result as on the file', async () => {
    // the real market-data service replays the shipped day into its store (same database, its own schema)
    execFileSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: db.url } });
    const port = await freePort();
    marketData = spawnNode('dist/apps/market-data/src/main.js', [], {
      PORT: String(port),
      DATABASE_URL: db.url,
      REDIS_URL: testRedisUrl(),
      REDIS_NAMESPACE: ns,
      MARKET_FEEDS: 'replay:BTCUSDT_1m_2021-01-03@max',
      LOG_LEVEL: 'error',
    });
    await waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/metrics`).catch(() => undefined);
        if (!res?.ok) return undefined;
        const body = (await res.json()) as { ingest?: { feeds: { finished: boolean }[] } };
        return body.ingest?.feeds.length && body.ingest.feeds.every((f) => f.finished);
      },
      { what: 'the market-data replay to finish', timeoutMs: 60_000, intervalMs: 200 },
    );
    const smaCross = (await rpc.send(RpcPatterns.StrategyCatalogList, { caller: owner })).items.find((s) => s.strategyType === 'sma_cross')!;
    const params = { fast: 10, slow: 40 };
    const queued = await rpc.send(RpcPatterns.StrategyBacktestsRun, {
      caller: owner,
      strategyId: smaCross.id,
      params,
      exchange: 'binance',
      symbol: 'BTC/USDT',
      timeframe: '1m',
      from: '2021-01-03T00:00:00Z',
      to: '2021-01-04T00:00:00Z',
      commission: '0.001',
    });
    const done = await finished(queued.id);
    expect(done).toMatchObject({ status: 'completed', error: null });
    const { candles } = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'), { timeframe: '1m' });
    const direct = toBacktestJson(runBacktest(candles, createStrategy('sma_cross', params), { cash: '10000', commission: '0.001' }), { maxEquityPoints: 5000 });
    const { openPosition: _open, ...stats } = done.stats as Record<string, unknown>;
    expect(stats).toEqual(JSON.parse(JSON.stringify(direct.stats)));
    expect(done.trades).toEqual(JSON.parse(JSON.stringify(direct.trades)));
  });
});
