import { StrategyBotView, Streams, validateEnvelope } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { LoopbackBinance, startLoopbackBinance } from '@trading/testing';
import { randomBytes } from 'node:crypto';
import { EngineHarness, EngineProcess } from './engine.fixture';
import { startLiveAccount } from './live-account.fixture';

const INTERNAL_RPC_TOKEN = `balances-e2e-internal-${randomBytes(16).toString('hex')}`;
const MASTER_KEY = randomBytes(32).toString('base64');
const API_KEY = `BalancesApiKey${randomBytes(12).toString('hex')}`;
const SECRET = `BalancesSecret${randomBytes(16).toString('hex')}`;

interface ReconciliationRow {
  bot_id: string | null;
  user_id: string;
  currency: string;
  total_balance: string;
  available_balance: string;
  locked_balance: string;
  ledger_balance: string | null;
  exchange: string;
  exchange_key_id: string;
  snapshot_type: string;
  data_source: string;
}

interface AuditEvent {
  id: string;
  type: string;
  source: string;
  payload: {
    action: string;
    outcome: string;
    resourceType: string;
    resourceId: string;
    details: Record<string, unknown>;
  };
}

interface DriftMetrics {
  balanceReconciliation: {
    intervalMs: number;
    runs: number;
    driftingAssets: number;
    drifts: { asset: string; exchangeKeyId: string; exchangeTotal: string; ledger: string; shortfall: string }[];
  };
}

/**
 * Live balance reconciliation end to end: the built engine and auth service (the key stored encrypted by auth),
 * real ccxt fetching /api/v3/account from the loopback Binance server (signatures checked), real PostgreSQL and
 * Redis. Two live bots share one key; the exchange's balances are then changed behind the engine's back.
 */
describe('trading-engine live balance reconciliation (built engine and auth, ccxt against the loopback Binance)', () => {
  const h = new EngineHarness();
  let server: LoopbackBinance;
  let rpc: RpcClient;
  let engine: EngineProcess;
  let userId: string;
  let keyId: string;
  const bots: StrategyBotView[] = [];

  const engineEnv = (overrides: Record<string, string> = {}) => ({
    INTERNAL_RPC_TOKEN,
    EXCHANGE_OVERRIDES: JSON.stringify({ binance: server.ccxtOverrides }),
    EXCHANGE_TIMEOUT_MS: '2000',
    LOG_LEVEL: 'debug',
    BALANCE_RECONCILE_INTERVAL_MS: '1000',
    ...overrides,
  });

  beforeAll(async () => {
    await h.start('trading_engine_balances');
    const account = await startLiveAccount(h, { instance: 'auth-balances', internalRpcToken: INTERNAL_RPC_TOKEN, masterKey: MASTER_KEY, masterKeyId: 'bal1', userAgent: 'balances-e2e' });
    ({ rpc, userId } = account);
    server = await startLoopbackBinance({ apiKey: API_KEY, secret: SECRET, balances: { USDT: '10000' }, prices: { BTCUSDT: '40000' } });
    keyId = await account.storeKey({ exchange: 'binance', label: 'main', apiKey: API_KEY, secret: SECRET });
    engine = await h.startEngine('balances-a', engineEnv());
  }, 120_000);

  afterAll(async () => {
    if (process.env.ENGINE_DEBUG_OUTPUT) process.stdout.write(h.output());
    await rpc?.close();
    await h.stop();
    await server?.stop();
  }, 30_000);

  const checksWithBtc = (total: string) =>
    h.query<ReconciliationRow>(
      `SELECT * FROM trading.account_balance WHERE snapshot_type = 'reconciliation' AND currency = 'BTC' AND total_balance = $1 ORDER BY "timestamp", id`,
      [total],
    );
  const auditEvents = async (action: string) =>
    (await h.streamEvents<AuditEvent>(Streams.Audit)).filter((e) => e.payload.action === action);
  const metrics = async (port = engine.port) => (await (await fetch(`http://127.0.0.1:${port}/metrics`)).json()) as DriftMetrics;

  it('an account holding what its bots hold is recorded from the exchange, with no drift', async () => {
    // bot 1: 50 % of 10 000 USDT = 0.125 BTC at 40 000, Binance's 0.1 % commission in BTC leaves 0.124875
    // bot 2: 600 USDT = 0.015 BTC, 0.014985 after commission; together 0.13986 BTC, all on the same key
    bots.push(h.addBot({ mode: 'live', userId, apiKeyId: keyId, initialCapital: '10000', positionSizePct: '50' }));
    bots.push(h.addBot({ mode: 'live', userId, apiKeyId: keyId, sizingMode: 'fixed_quote', positionSizePct: null, positionSizeFixed: '600' }));
    await h.publishSignals(bots.map((bot, i) => h.signal(bot, 'long', `2026-03-01T00:0${i}:00.000Z`, '40000')));
    for (const bot of bots)
      await h.waitFor(async () => (await h.query(`SELECT 1 FROM trading.orders WHERE bot_id = $1 AND status = 'filled'`, [bot.id])).length === 1, 'entry filled');
    expect(server.state.balance('BTC')).toEqual({ free: '0.13986', locked: '0' });
    expect(server.state.balance('USDT')).toEqual({ free: '4400', locked: '0' });

    const [row] = await h.waitFor(async () => {
      const rows = await checksWithBtc('0.13986000');
      return rows.length ? rows : undefined;
    }, 'a check of the account after both fills');
    expect(row).toMatchObject({
      bot_id: null,
      user_id: userId,
      total_balance: '0.13986000',
      available_balance: '0.13986000',
      locked_balance: '0.00000000',
      ledger_balance: '0.13986000',
      exchange: 'binance',
      exchange_key_id: keyId,
      snapshot_type: 'reconciliation',
      data_source: 'exchange',
    });
    // the quote currency is recorded as the exchange reports it; the bots' cash is a budget, not compared
    const [usdt] = await h.query<ReconciliationRow>(
      `SELECT * FROM trading.account_balance WHERE snapshot_type = 'reconciliation' AND currency = 'USDT' ORDER BY "timestamp" DESC LIMIT 1`,
    );
    expect(usdt).toMatchObject({ total_balance: '4400.00000000', ledger_balance: null, exchange_key_id: keyId });
    expect(server.requests.some((r) => r.path === '/api/v3/account' && typeof r.params['signature'] === 'string')).toBe(true);
    expect(await auditEvents('system.balance_drift')).toEqual([]);
    expect((await metrics()).balanceReconciliation).toMatchObject({ intervalMs: 1000, driftingAssets: 0, drifts: [] });
  });

  it('an exchange holding more than the bots (the user’s own coins on the shared account) is no drift', async () => {
    server.state.setBalance('BTC', '1.5');
    await h.waitFor(async () => (await checksWithBtc('1.50000000')).length >= 2, 'two checks of the larger balance');
    expect(await auditEvents('system.balance_drift')).toEqual([]);
    expect((await metrics()).balanceReconciliation.drifts).toEqual([]);
  });

  it('an exchange holding less than the bots is a drift: warned, published once, shown by /metrics, recorded', async () => {
    // 0.03986 BTC sold by hand: the exchange has 0.1, the ledger 0.13986
    server.state.setBalance('BTC', '0.1');
    const [drift] = await h.waitFor(async () => {
      const events = await auditEvents('system.balance_drift');
      return events.length ? events : undefined;
    }, 'a drift event published');
    expect(drift!.source).toBe('trading-engine');
    expect(drift!.payload).toMatchObject({
      action: 'system.balance_drift',
      outcome: 'failure',
      resourceType: 'exchange_account',
      resourceId: keyId,
      details: { userId, exchange: 'binance', exchangeKeyId: keyId, asset: 'BTC', exchangeTotal: '0.1', ledger: '0.13986', shortfall: '0.03986', allowed: '0.00001' },
    });
    expect(new Set(drift!.payload.details['bots'] as string[])).toEqual(new Set(bots.map((b) => b.id)));
    // analytics validates what it reads from events:audit: the event must pass
    expect(validateEnvelope(drift, Streams.Audit)).toMatchObject({ ok: true });
    expect(await checksWithBtc('0.10000000')).toMatchObject([{ ledger_balance: '0.13986000' }]);

    // further checks confirm it without publishing it again
    await h.waitFor(async () => (await checksWithBtc('0.10000000')).length >= 3, 'three checks of the short balance');
    expect(await auditEvents('system.balance_drift')).toHaveLength(1);
    expect((await metrics()).balanceReconciliation).toMatchObject({
      driftingAssets: 1,
      drifts: [{ asset: 'BTC', exchangeKeyId: keyId, exchangeTotal: '0.1', ledger: '0.13986', shortfall: '0.03986' }],
    });
    expect(engine.proc.output()).toMatch(/balance drift: the exchange account holds less than its live bots/);
  });

  it('a shortfall within one lot step is rounding, not a drift: the drift is reported resolved', async () => {
    // 0.13986 - 0.139855 = 0.000005 BTC < the lot step 0.00001
    server.state.setBalance('BTC', '0.139855');
    const [resolved] = await h.waitFor(async () => {
      const events = await auditEvents('system.balance_drift_resolved');
      return events.length ? events : undefined;
    }, 'the drift reported resolved');
    expect(resolved!.payload).toMatchObject({ outcome: 'success', details: { asset: 'BTC', exchangeTotal: '0.139855', shortfall: '0.000005' } });
    expect(validateEnvelope(resolved, Streams.Audit)).toMatchObject({ ok: true });
    expect((await metrics()).balanceReconciliation.drifts).toEqual([]);
    expect(await auditEvents('system.balance_drift')).toHaveLength(1);
  });

  it('an engine starting reconciles at once, whatever its interval', async () => {
    await h.kill(engine);
    server.state.setBalance('BTC', '0.05');
    // one check an hour: the row and the event below can only come from the start
    engine = await h.startEngine('balances-b', engineEnv({ BALANCE_RECONCILE_INTERVAL_MS: '3600000' }));
    await h.waitFor(async () => (await checksWithBtc('0.05000000')).length === 1, 'the start check');
    const drifts = await h.waitFor(async () => {
      const events = await auditEvents('system.balance_drift');
      return events.length === 2 ? events : undefined;
    }, 'the new drift published');
    expect(drifts[1]!.payload.details).toMatchObject({ exchangeTotal: '0.05', shortfall: '0.08986' });
    await h.waitFor(async () => (await metrics()).balanceReconciliation.runs === 1, 'the start round counted');
    expect((await metrics()).balanceReconciliation).toMatchObject({ intervalMs: 3_600_000, runs: 1, driftingAssets: 1 });
  });

  it('never logs, records or publishes the key or its secret', async () => {
    const logs = h.output();
    expect(logs).toContain('live balances reconciled');
    const rows = JSON.stringify(await h.query(`SELECT * FROM trading.account_balance`));
    const events = JSON.stringify(await h.streamEvents(Streams.Audit));
    for (const secret of [API_KEY, SECRET]) {
      expect(logs).not.toContain(secret);
      expect(rows).not.toContain(secret);
      expect(events).not.toContain(secret);
    }
  });
});
