import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { v7 } from 'uuid';
import { runBacktest } from '@trading/backtest';
import { datasetPath, readCandleFile } from '@trading/datasets';
import { createStrategy } from '@trading/strategies';
import { RpcClient } from '@trading/streams';
import { createTestDatabase, freePort, repoRoot, spawnNode, SpawnedProcess, TestDatabase, testRedisUrl, uniqueRedisNamespace, waitFor } from '@trading/testing';

/**
 * Backtests people can trust: the shipped real BTC/USDT day replayed through the live path
 * (market-data replay -> strategy -> risk check -> trading-engine paper execution) gives the same
 * trades, at the same prices and quantities, with the same fees, as the backtest of the same bot on
 * the same candles (fill at the next candle's open, 0.1 % commission on both legs, the engine's lot
 * step of 0.00001, all-in sizing).
 */
const SERVICES = ['strategy', 'trading-engine', 'risk'] as const;
const CAPITAL = '10000';
const FEE = '0.001';
const LOT = '0.00001';

describe('live paper trading and the backtester agree', () => {
  let db: TestDatabase;
  const ns = uniqueRedisNamespace('parity');
  const redis = new Redis(testRedisUrl());
  const running: SpawnedProcess[] = [];
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/build.js'), '--quiet']);
    db = await createTestDatabase('parity');
    env = { ...process.env, DATABASE_URL: db.url, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: ns, LOG_LEVEL: 'warn', MARKET_FEEDS: 'none', PAPER_TAKER_FEE: FEE, PAPER_MAKER_FEE: FEE, PAPER_AMOUNT_STEP: LOT, PAPER_SLIPPAGE_BPS: '0' };
    execFileSync(process.execPath, [path.join(repoRoot, 'scripts/migrate.js'), 'up'], { env, stdio: 'pipe' });
    for (const service of SERVICES) {
      const port = await freePort();
      const proc = spawnNode(`dist/apps/${service}/src/main.js`, [], { ...env, PORT: String(port) });
      running.push(proc);
      await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/ready`).catch(() => undefined))?.ok, { what: `${service} ready`, timeoutMs: 30_000 }).catch((e: Error) => {
        throw new Error(`${e.message}\n${proc.output().slice(-2000)}`);
      });
    }
  }, 120_000);

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGTERM');
    await Promise.all(running.map((p) => p.exited));
    const keys = await redis.keys(`${ns}*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
    await db?.drop();
  });

  it('sma_cross on the real BTC/USDT day: same trades, prices, quantities and fees', async () => {
    const rpc = new RpcClient({ redisUrl: testRedisUrl(), namespace: ns, defaultTimeoutMs: 10_000 });
    const caller = { userId: v7(), role: 'trader' as const };
    try {
      const catalog = await rpc.send('strategy.catalog.list', { caller });
      const smaCross = catalog.items.find((s) => s.name === 'sma_cross')!;
      const bot = await rpc.send('strategy.bots.create', {
        caller,
        strategyId: smaCross.id,
        name: 'parity',
        exchange: 'binance',
        symbol: 'BTC/USDT',
        timeframe: '1m',
        initialCapital: CAPITAL,
        strategyParams: { fast: 10, slow: 30, allowShort: false },
      } as never);
      await rpc.send('strategy.bots.start', { caller, botId: bot.id } as never);

      const replay = spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/market-data/src/task.js'), 'replay', 'BTCUSDT_1m_2021-01-03', '--json'], { env, encoding: 'utf8' });
      expect(replay.status).toBe(0);

      const pg = new Client({ connectionString: db.url });
      await pg.connect();
      try {
        const candles = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'), { timeframe: '1m' }).candles;
        const expected = runBacktest(candles, createStrategy('sma_cross', { fast: 10, slow: 30, allowShort: false }), { cash: CAPITAL, commission: FEE, lot: LOT });
        expect(expected.trades.length).toBeGreaterThan(10);
        const fills = await waitFor(
          async () => {
            const rows = (await pg.query('SELECT side, price, quantity, fee, executed_at FROM trading.trades WHERE bot_id = $1 ORDER BY executed_at, created_at', [bot.id])).rows;
            return rows.length >= expected.trades.length * 2 ? rows : undefined;
          },
          { what: 'every round trip of the backtest to be traded live', timeoutMs: 90_000, intervalMs: 500 },
        );
        expect(fills).toHaveLength(expected.trades.length * 2 + (expected.openPosition ? 1 : 0));
        expected.trades.forEach((t, i) => {
          const [entry, exit] = [fills[2 * i], fills[2 * i + 1]];
          const live = (f: { side: string; executed_at: Date; price: string; quantity: string }) => ({ side: f.side, time: f.executed_at.toISOString(), price: Number(f.price), qty: Number(f.quantity) });
          expect(live(entry)).toEqual({ side: 'buy', time: new Date(t.entryTime).toISOString(), price: t.entryPrice.toNumber(), qty: t.qty.toNumber() });
          expect(live(exit)).toEqual({ side: 'sell', time: new Date(t.exitTime).toISOString(), price: t.exitPrice.toNumber(), qty: t.qty.toNumber() });
          // commission on both legs: the engine stores fees to 1e-8, the backtester keeps them exact
          expect(Math.abs(Number(entry.fee) + Number(exit.fee) - t.commission.toNumber())).toBeLessThanOrEqual(2e-8);
        });
      } finally {
        await pg.end();
      }
    } finally {
      await rpc.close();
    }
  }, 180_000);
});
