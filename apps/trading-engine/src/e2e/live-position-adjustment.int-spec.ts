import { RpcPatterns, StrategyBotView, Streams, validateEnvelope } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { LoopbackBinance, startLoopbackBinance } from '@trading/testing';
import Decimal from 'decimal.js';
import { randomBytes } from 'node:crypto';
import { v7 } from 'uuid';
import { EngineHarness, EngineProcess } from './engine.fixture';
import { startLiveAccount } from './live-account.fixture';

const INTERNAL_RPC_TOKEN = `adjust-e2e-internal-${randomBytes(16).toString('hex')}`;
const MASTER_KEY = randomBytes(32).toString('base64');
const API_KEY = `AdjustApiKey${randomBytes(12).toString('hex')}`;
const SECRET = `AdjustSecret${randomBytes(16).toString('hex')}`;

interface Envelope {
  id: string;
  type: string;
  source: string;
  payload: Record<string, unknown> & { action?: string; details?: Record<string, unknown> };
}

interface PositionRow {
  id: string;
  status: string;
  size: string;
  avg_entry_price: string;
  realized_pnl: string;
  fees_paid: string;
  metadata: { entryCost: string; entryFees: string; realizedGross: string; fees: string };
}

/**
 * Correcting a live bot's ledger after a balance drift, end to end: the built engine and auth service, real ccxt
 * against the loopback Binance (signatures checked), real PostgreSQL and Redis. The bot buys 0.125 BTC at 40 000
 * (0.124875 held after Binance's 0.1 % commission in BTC); 0.024875 BTC then leaves the account behind the engine
 * (the loopback's balance set to 0.1): a drift. The operator sets the position to 0.1 through the RPC.
 */
describe('trading-engine: adjusting a live position to what the exchange holds (built engine and auth, loopback Binance)', () => {
  const h = new EngineHarness();
  let server: LoopbackBinance;
  let rpc: RpcClient;
  let engine: EngineProcess;
  let userId: string;
  let keyId: string;
  let bot: StrategyBotView;
  let positionId: string;
  const caller = () => ({ userId, role: 'trader' as const });

  const audit = async (action: string) =>
    (await h.streamEvents<Envelope>(Streams.Audit)).filter((e) => e.payload.action === action);
  const positionRow = async (id = positionId) =>
    (await h.query<PositionRow>(`SELECT * FROM trading.positions WHERE id = $1`, [id]))[0]!;
  const adjust = (
    body: { quantity: string; reason?: string; requestId?: string; positionId?: string },
    who: { userId: string; role: 'trader' | 'admin' } = caller(),
  ) =>
    rpc.send(RpcPatterns.TradingPositionsAdjust, {
      caller: who,
      positionId: body.positionId ?? positionId,
      quantity: body.quantity,
      reason: body.reason ?? 'sold by hand',
      requestId: body.requestId ?? v7(),
    });

  beforeAll(async () => {
    await h.start('trading_engine_adjust');
    const account = await startLiveAccount(h, { instance: 'auth-adjust', internalRpcToken: INTERNAL_RPC_TOKEN, masterKey: MASTER_KEY, masterKeyId: 'adj1', userAgent: 'adjust-e2e', rpcTimeoutMs: 10_000 });
    ({ rpc, userId } = account);
    server = await startLoopbackBinance({
      apiKey: API_KEY,
      secret: SECRET,
      balances: { USDT: '10000' },
      prices: { BTCUSDT: '40000' },
    });
    keyId = await account.storeKey({ exchange: 'binance', label: 'main', apiKey: API_KEY, secret: SECRET });
    engine = await h.startEngine('adjust-a', {
      INTERNAL_RPC_TOKEN,
      EXCHANGE_OVERRIDES: JSON.stringify({ binance: server.ccxtOverrides }),
      EXCHANGE_TIMEOUT_MS: '2000',
      BALANCE_RECONCILE_INTERVAL_MS: '1000',
    });
    bot = h.addBot({ mode: 'live', userId, apiKeyId: keyId, initialCapital: '10000', positionSizePct: '50' });
    await h.publishSignals([h.signal(bot, 'long', '2026-03-01T00:00:00.000Z', '40000')]);
    await h.waitFor(
      async () =>
        (await h.query(`SELECT 1 FROM trading.orders WHERE bot_id = $1 AND status = 'filled'`, [bot.id])).length === 1,
      'entry filled',
    );
    positionId = (
      await h.query<{ id: string }>(`SELECT id FROM trading.positions WHERE bot_id = $1 AND status = 'open'`, [bot.id])
    )[0]!.id;
  }, 120_000);

  afterAll(async () => {
    if (process.env.ENGINE_DEBUG_OUTPUT) process.stdout.write(h.output());
    await rpc?.close();
    await h.stop();
    await server?.stop();
  }, 30_000);

  it('refuses while the bot has a working order (409), then after a drift books the position down to the exchange at cost, in one go', async () => {
    expect(server.state.balance('BTC')).toEqual({ free: '0.124875', locked: '0' });
    // a resting sell of the bot: the exchange is still working on the position
    const resting = await rpc.send(RpcPatterns.TradingOrdersPlace, {
      caller: caller(),
      botId: bot.id,
      side: 'sell',
      type: 'limit',
      quantity: '0.01',
      price: '90000',
    });
    expect(resting).toMatchObject({ status: 'submitted', mode: 'live' });
    await expect(adjust({ quantity: '0.1' })).rejects.toMatchObject({ status: 409, code: 'BOT_HAS_WORKING_ORDERS' });
    expect(await rpc.send(RpcPatterns.TradingOrdersCancel, { caller: caller(), orderId: resting.id })).toMatchObject({
      status: 'cancelled',
    });

    // 0.024875 BTC leaves the account by hand: the engine reports the drift
    server.state.setBalance('BTC', '0.1');
    const [drift] = await h.waitFor(async () => {
      const events = await audit('system.balance_drift');
      return events.length ? events : undefined;
    }, 'the drift reported');
    expect(drift!.payload.details).toMatchObject({
      asset: 'BTC',
      exchangeTotal: '0.1',
      ledger: '0.124875',
      shortfall: '0.024875',
    });

    const before = await positionRow();
    expect(before).toMatchObject({ status: 'open', size: '0.12487500' });
    // off the lot step (0.00001; the position itself is not on it, Binance's commission in BTC), not a reduction:
    // refused, nothing written
    await expect(adjust({ quantity: '0.100005' })).rejects.toMatchObject({
      status: 400,
      code: 'INVALID_QUANTITY',
      message: 'quantity 0.100005 is not a multiple of the lot step 0.00001 of BTC/USDT',
    });
    await expect(adjust({ quantity: '0.124875' })).rejects.toMatchObject({ status: 400, code: 'INVALID_QUANTITY' });
    await expect(adjust({ quantity: '0.2' })).rejects.toMatchObject({ status: 409, code: 'ADJUSTMENT_NOT_REDUCING' });
    await expect(adjust({ quantity: '0.12488' })).rejects.toMatchObject({
      status: 409,
      code: 'ADJUSTMENT_NOT_REDUCING',
      message:
        "quantity 0.12488 is not below the position's 0.124875 BTC: an adjustment only reduces a position (0 closes it)",
    });
    // another user's position is not found
    await expect(adjust({ quantity: '0.1' }, { userId: v7(), role: 'trader' })).rejects.toMatchObject({
      status: 404,
      code: 'POSITION_NOT_FOUND',
    });
    // the DTO: a negative quantity, a blank reason
    await expect(adjust({ quantity: '-0.1' })).rejects.toMatchObject({ status: 400 });
    await expect(adjust({ quantity: '0.1', reason: '   ' })).rejects.toMatchObject({ status: 400 });
    expect(await positionRow()).toEqual(before);
    expect(await h.query(`SELECT 1 FROM trading.position_adjustments`)).toEqual([]);

    const requestId = v7();
    const answer = await adjust({ quantity: '0.1', reason: 'sold 0.024875 BTC by hand on binance.com', requestId });

    // worked from the stored cost basis: 0.024875 / 0.124875 of it leaves, rounded half-even to 1e-8
    const cost = new Decimal(before.metadata.entryCost);
    const removedCost = cost.times('0.024875').div('0.124875').toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN);
    const keptCost = cost.minus(removedCost);
    expect(answer).toMatchObject({
      requestId,
      positionId,
      botId: bot.id,
      userId,
      actorUserId: userId,
      fromQuantity: '0.124875',
      toQuantity: '0.1',
      removedQuantity: '0.024875',
      removedCost: removedCost.toFixed(),
      reason: 'sold 0.024875 BTC by hand on binance.com',
      drift: { exchangeKeyId: keyId, exchangeTotal: '0.1', ledger: '0.124875', shortfall: '0.024875' },
      replayed: false,
      position: { id: positionId, status: 'open', size: '0.10000000', realizedPnl: before.realized_pnl },
    });
    const after = await positionRow();
    expect(after).toMatchObject({
      status: 'open',
      size: '0.10000000',
      realized_pnl: before.realized_pnl,
      fees_paid: before.fees_paid,
    });
    expect(after.metadata.entryCost).toBe(keptCost.toFixed());
    expect(new Decimal(after.metadata.entryCost).plus(removedCost).eq(cost)).toBe(true);
    expect(after.metadata.realizedGross).toBe(before.metadata.realizedGross);
    expect(after.metadata.fees).toBe(before.metadata.fees);
    expect(after.avg_entry_price).toBe(keptCost.div('0.1').toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN).toFixed(8));
    // the average entry stays what it was, within the rounding of the split
    expect(new Decimal(after.avg_entry_price).minus(before.avg_entry_price).abs().lte('0.0000001')).toBe(true);
    expect(
      await h.query(`SELECT free, locked FROM trading.balances WHERE bot_id = $1 AND currency = 'BTC'`, [bot.id]),
    ).toEqual([{ free: '0.10000000', locked: '0.00000000' }]);
    expect(await h.query(`SELECT cash FROM trading.bot_accounts WHERE bot_id = $1`, [bot.id])).toEqual([
      { cash: '5000' },
    ]);
    expect(
      await h.query(
        `SELECT currency, total_balance, snapshot_type, data_source, exchange_key_id FROM trading.account_balance WHERE bot_id = $1 AND snapshot_type = 'adjustment'`,
        [bot.id],
      ),
    ).toEqual([
      {
        currency: 'BTC',
        total_balance: '0.10000000',
        snapshot_type: 'adjustment',
        data_source: 'operator',
        exchange_key_id: keyId,
      },
    ]);

    // the events, published through the outbox: PositionChanged (reason adjustment) and the audit record
    const changed = await h.waitFor(async () => {
      const events = (await h.streamEvents<Envelope>(Streams.Trades)).filter(
        (e) => e.type === 'position.changed' && e.payload['reason'] === 'adjustment',
      );
      return events.length ? events : undefined;
    }, 'PositionChanged of the adjustment');
    expect(changed).toHaveLength(1);
    expect(changed[0]!.payload).toMatchObject({
      botId: bot.id,
      side: 'long',
      quantity: '0.1',
      tradeId: null,
      reason: 'adjustment',
      avgEntryPrice: after.avg_entry_price.replace(/0+$/, '').replace(/\.$/, ''),
    });
    expect(validateEnvelope(changed[0], Streams.Trades)).toMatchObject({ ok: true });
    const [adjusted] = await h.waitFor(async () => {
      const events = await audit('trading.position_adjusted');
      return events.length ? events : undefined;
    }, 'the audit record published');
    expect(adjusted!.payload).toMatchObject({
      actorUserId: userId,
      action: 'trading.position_adjusted',
      resourceType: 'position',
      resourceId: positionId,
      outcome: 'success',
      details: {
        requestId,
        botId: bot.id,
        symbol: 'BTC/USDT',
        asset: 'BTC',
        from: '0.124875',
        to: '0.1',
        reason: 'sold 0.024875 BTC by hand on binance.com',
        drift: { exchangeTotal: '0.1', ledger: '0.124875', shortfall: '0.024875' },
      },
    });
    expect(validateEnvelope(adjusted, Streams.Audit)).toMatchObject({ ok: true });

    // the next balance check: the ledger is within the exchange's total, the drift reported resolved
    const [resolved] = await h.waitFor(async () => {
      const events = await audit('system.balance_drift_resolved');
      return events.length ? events : undefined;
    }, 'the drift resolved');
    expect(resolved!.payload.details).toMatchObject({
      asset: 'BTC',
      exchangeTotal: '0.1',
      ledger: '0.1',
      shortfall: '0',
    });
    const metrics = (await (await fetch(`http://127.0.0.1:${engine.port}/metrics`)).json()) as {
      balanceReconciliation: { drifts: unknown[] };
    };
    expect(metrics.balanceReconciliation.drifts).toEqual([]);

    // a retry with the same request id books nothing and answers the same adjustment
    const retried = await adjust({ quantity: '0.1', reason: 'sold 0.024875 BTC by hand on binance.com', requestId });
    expect(retried).toMatchObject({ ...answer, replayed: true, position: { size: '0.10000000' } });
    await expect(adjust({ quantity: '0.05', requestId })).rejects.toMatchObject({
      status: 409,
      code: 'REQUEST_ID_REUSED',
    });
    expect(await h.query(`SELECT request_id FROM trading.position_adjustments`)).toEqual([{ request_id: requestId }]);
    expect(await positionRow()).toEqual(after);
    expect(await audit('trading.position_adjusted')).toHaveLength(1);
  });

  it('the bot’s next exit sells the adjusted quantity and the exchange fills it (no phantom position)', async () => {
    await h.publishSignals([h.signal(bot, 'flat', '2026-03-01T01:00:00.000Z', '40000')]);
    await h.waitFor(async () => (await positionRow()).status === 'closed', 'the position closed by the exit');
    const exits = await h.query<{ status: string; quantity: string; filled_quantity: string }>(
      `SELECT status, quantity, filled_quantity FROM trading.orders WHERE bot_id = $1 AND side = 'sell' AND status = 'filled'`,
      [bot.id],
    );
    expect(exits).toEqual([{ status: 'filled', quantity: '0.10000000', filled_quantity: '0.10000000' }]);
    expect(server.state.balance('BTC')).toEqual({ free: '0', locked: '0' });
  });

  it('refuses a paper position (409 POSITION_NOT_LIVE) and a closed one (409 POSITION_NOT_OPEN)', async () => {
    const paper = h.addBot({ mode: 'paper', userId });
    await h.cacheTicker('binance', 'BTC/USDT', '40000', new Date().toISOString(), Date.now());
    expect(
      await rpc.send(RpcPatterns.TradingOrdersPlace, {
        caller: caller(),
        botId: paper.id,
        side: 'buy',
        type: 'market',
        quantity: '0.01',
      }),
    ).toMatchObject({ status: 'filled' });
    const [paperPosition] = await h.query<{ id: string }>(
      `SELECT id FROM trading.positions WHERE bot_id = $1 AND status = 'open'`,
      [paper.id],
    );
    await expect(adjust({ quantity: '0', positionId: paperPosition!.id })).rejects.toMatchObject({
      status: 409,
      code: 'POSITION_NOT_LIVE',
    });
    await expect(adjust({ quantity: '0' })).rejects.toMatchObject({ status: 409, code: 'POSITION_NOT_OPEN' });
  });

  it('never logs, records or publishes the key or its secret', async () => {
    const logs = h.output();
    const rows = JSON.stringify(await h.query(`SELECT * FROM trading.position_adjustments`));
    const events = JSON.stringify([
      ...(await h.streamEvents(Streams.Audit)),
      ...(await h.streamEvents(Streams.Trades)),
    ]);
    for (const secret of [API_KEY, SECRET]) {
      expect(logs).not.toContain(secret);
      expect(rows).not.toContain(secret);
      expect(events).not.toContain(secret);
    }
  });
});
