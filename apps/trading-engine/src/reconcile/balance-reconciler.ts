import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { AuditRecorded, createEvent, Streams } from '@trading/contracts';
import { Balances, MarketInfo } from '@trading/exchange';
import { MetricsRegistry } from '@trading/service-runtime';
import { dec, toMoney } from '../accounting/exact-decimal';
import { AccountBalanceRepository, NewBalanceSnapshot } from '../balances/account-balance.repository';
import { LiveBotAccount, LiveHoldingsRepository } from '../balances/live-holdings.repository';
import { ENGINE_SOURCE } from '../booking/outbox-batch';
import { EngineContext } from '../execution/engine-context';
import { splitSymbol } from '../execution/paper-venue';
import { LiveOrderDesk } from '../live/live-order-desk';
import { OrderEntity } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';
import { AssetCheck, compareHoldings, toleranceByAsset } from './balance-drift';
import { BalanceDriftStore, ReportedDrift } from './balance-drift.store';

/** One exchange account (a user's key on one exchange) and the live bots whose holdings sit on it. */
export interface LiveAccount {
  readonly userId: string;
  readonly exchange: string;
  readonly apiKeyId: string;
  readonly bots: readonly LiveBotAccount[];
}

export interface AccountCheck {
  readonly account: LiveAccount;
  readonly assets: readonly AssetCheck[];
  readonly drifts: readonly AssetCheck[];
}

/**
 * Compares every live exchange account with what the ledger says its bots hold, so a missed fill or a trade made
 * by hand on the account does not go unseen: at start (after open orders are reconciled) and every
 * BALANCE_RECONCILE_INTERVAL_MS, for each account with a running live bot.
 *
 * Per account, under the order locks of all its bots (no engine order in flight, so no fill half booked): the
 * bots' working orders are looked up first (fills of resting orders booked), then the ledger is read and the
 * exchange's balances fetched. Each asset the bots hold is compared with the exchange's total (free + in orders):
 * a shortfall beyond BALANCE_DRIFT_TOLERANCE_STEPS lot steps (plus what the bots' working sells may have filled
 * meanwhile) is a drift. An exchange holding more is normal (the account is shared). The exchange's figures are
 * recorded in trading.account_balance (snapshot `reconciliation`); a drift that appears, changes or goes away is
 * logged, published as an AuditRecorded `system.balance_drift` / `system.balance_drift_resolved` event (analytics
 * keeps it as a system event) and listed by GET /metrics.
 *
 * A drift does not stop the account's bots: the engine cannot tell a missed fill from the user's own trade, and
 * the exchange itself bounds the harm (a buy is capped by its free balance, a sell of more than is there is
 * refused). Stopping is the operator's call (pause the bots, or risk's kill switch).
 */
@Injectable()
export class BalanceReconciler implements BeforeApplicationShutdown {
  private readonly logger = new Logger(BalanceReconciler.name);
  private readonly drifts: BalanceDriftStore;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly counters = { runs: 0, accountsChecked: 0, accountsFailed: 0, driftsReported: 0, lastRunAt: null as string | null };

  constructor(
    private readonly ctx: EngineContext,
    private readonly holdings: LiveHoldingsRepository,
    private readonly orders: OrderRepository,
    private readonly live: LiveOrderDesk,
    private readonly history: AccountBalanceRepository,
    metrics: MetricsRegistry,
  ) {
    this.drifts = new BalanceDriftStore(ctx.redis, ctx.namespace);
    metrics.register('balanceReconciliation', async () => {
      const drifts = await this.drifts.all();
      return { intervalMs: this.ctx.config.BALANCE_RECONCILE_INTERVAL_MS, ...this.counters, driftingAssets: drifts.length, drifts };
    });
  }

  /** Called once open orders are reconciled: a first pass now (in the background), then one every interval. */
  start(): void {
    const intervalMs = this.ctx.config.BALANCE_RECONCILE_INTERVAL_MS;
    if (intervalMs === 0) {
      this.logger.log({ msg: 'live balance reconciliation is off (BALANCE_RECONCILE_INTERVAL_MS=0)' });
      return;
    }
    this.launch(async () => {
      await this.claimRound(intervalMs, true);
      await this.reconcileAll();
    });
    this.timer = setInterval(() => {
      this.launch(async () => {
        if (await this.claimRound(intervalMs, false)) await this.reconcileAll();
      });
    }, intervalMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** Checks every account with a running live bot; an account whose check fails is logged and left for the next round. */
  async reconcileAll(): Promise<AccountCheck[]> {
    const accounts = liveAccounts(await this.holdings.liveBots());
    const checks: AccountCheck[] = [];
    for (const account of accounts) {
      if (this.stopped) break;
      try {
        checks.push(await this.checkAccount(account));
        this.counters.accountsChecked++;
      } catch (error) {
        this.counters.accountsFailed++;
        this.logger.warn({
          msg: 'exchange balances not reconciled: left for the next round',
          userId: account.userId,
          exchange: account.exchange,
          exchangeKeyId: account.apiKeyId,
          error: error instanceof Error ? error.name : 'Error',
          detail: error instanceof Error ? error.message : String(error),
        });
      }
    }
    const forgotten = this.stopped ? 0 : await this.drifts.retainAccounts(new Set(accounts.map((a) => a.apiKeyId)));
    if (forgotten) this.logger.log({ msg: 'drifts of accounts without running live bots forgotten', drifts: forgotten });
    this.counters.runs++;
    this.counters.lastRunAt = new Date().toISOString();
    const summary = { msg: 'live balances reconciled', accounts: accounts.length, checked: checks.length, drifting: checks.filter((c) => c.drifts.length).length };
    if (accounts.length) this.logger.log(summary);
    else this.logger.debug(summary);
    return checks;
  }

  private async checkAccount(account: LiveAccount): Promise<AccountCheck> {
    const botIds = account.bots.map((b) => b.botId).sort();
    return this.withLocks(botIds, async () => {
      const venue = await this.live.venue({ apiKeyId: account.apiKeyId, userId: account.userId, exchange: account.exchange });
      const working = await this.workingLiveOrders(botIds);
      if (working.length) await this.live.sync(working, {});
      const inFlight = new Map<string, string>();
      for (const order of await this.workingLiveOrders(botIds)) {
        if (order.side !== 'sell') continue;
        const base = splitSymbol(order.symbol).base;
        inFlight.set(base, dec(inFlight.get(base) ?? '0').plus(dec(order.quantity).minus(order.filledQuantity)).toFixed());
      }
      const held = await this.holdings.heldByAsset(botIds);
      const symbols = await this.holdings.openSymbols(botIds);
      const markets: MarketInfo[] = [];
      for (const symbol of symbols) {
        const market = await this.live.market(venue, symbol);
        if (market) markets.push(market);
      }
      const balances = await this.live.balances(venue);
      const assets = compareHoldings({ held, exchange: balances, tolerance: toleranceByAsset(markets, this.ctx.config.BALANCE_DRIFT_TOLERANCE_STEPS), inFlight });
      const drifts = assets.filter((a) => a.drift);
      await this.record(account, assets, balances);
      return { account, assets, drifts };
    });
  }

  /**
   * The exchange's figures as history rows, and the drift events, in one transaction; then the shared record of
   * reported drifts. A crash between the two reports a drift again at the next check (at least once).
   */
  private async record(account: LiveAccount, assets: readonly AssetCheck[], balances: Balances): Promise<void> {
    const now = new Date();
    const at = now.toISOString();
    const reported = await this.drifts.ofAccount(account.apiKeyId);
    const current: ReportedDrift[] = [];
    const events: AuditRecorded.Event[] = [];
    for (const a of assets.filter((x) => x.drift)) {
      const before = reported.get(a.asset);
      current.push({ userId: account.userId, exchange: account.exchange, exchangeKeyId: account.apiKeyId, asset: a.asset, exchangeTotal: a.exchangeTotal, ledger: a.ledger, shortfall: a.shortfall, since: before?.since ?? at, checkedAt: at });
      if (!before || before.shortfall !== a.shortfall || before.exchangeTotal !== a.exchangeTotal) events.push(this.event(account, 'system.balance_drift', 'failure', a, at));
    }
    const resolved = [...reported.values()].filter((d) => !current.some((c) => c.asset === d.asset));
    for (const d of resolved) {
      const checked = assets.find((a) => a.asset === d.asset);
      events.push(this.event(account, 'system.balance_drift_resolved', 'success', checked ?? { asset: d.asset, exchangeTotal: balances[d.asset]?.total ?? '0', ledger: '0', shortfall: '0', allowed: '0' }, at));
    }
    const rows: NewBalanceSnapshot[] = assets.map((a) => this.snapshot(account, a.asset, { free: a.exchangeFree, used: a.exchangeUsed, total: a.exchangeTotal }, a.ledger, now));
    for (const quote of new Set(account.bots.map((b) => b.quoteCurrency))) {
      const entry = balances[quote] ?? { free: '0', used: '0', total: '0' };
      rows.push(this.snapshot(account, quote, entry, null, now));
    }
    await this.ctx.dataSource.transaction(async (manager) => {
      for (const row of rows) await this.history.append(row, manager);
      if (events.length) await this.ctx.outbox.add(manager, Streams.Audit, events);
    });
    await this.drifts.replaceAccount(account.apiKeyId, current, reported.keys());
    this.counters.driftsReported += events.filter((e) => e.payload.action === 'system.balance_drift').length;

    const context = { userId: account.userId, exchange: account.exchange, exchangeKeyId: account.apiKeyId, bots: account.bots.map((b) => b.botId) };
    for (const d of current) {
      this.logger.warn({ msg: 'balance drift: the exchange account holds less than its live bots by the ledger', ...context, asset: d.asset, exchangeTotal: d.exchangeTotal, ledger: d.ledger, shortfall: d.shortfall, since: d.since });
    }
    for (const d of resolved) this.logger.log({ msg: 'balance drift resolved', ...context, asset: d.asset });
  }

  private snapshot(account: LiveAccount, currency: string, entry: { free: string; used: string; total: string }, ledger: string | null, at: Date): NewBalanceSnapshot {
    return {
      botId: null,
      userId: account.userId,
      currency,
      totalBalance: toMoney(entry.total),
      availableBalance: toMoney(entry.free),
      lockedBalance: toMoney(entry.used),
      // no price here: an asset's own amount
      equity: toMoney(entry.total),
      snapshotType: 'reconciliation',
      dataSource: 'exchange',
      exchange: account.exchange,
      exchangeKeyId: account.apiKeyId,
      ledgerBalance: ledger === null ? null : toMoney(ledger),
      timestamp: at,
    };
  }

  private event(
    account: LiveAccount,
    action: 'system.balance_drift' | 'system.balance_drift_resolved',
    outcome: 'failure' | 'success',
    asset: Pick<AssetCheck, 'asset' | 'exchangeTotal' | 'ledger' | 'shortfall' | 'allowed'>,
    at: string,
  ): AuditRecorded.Event {
    return createEvent(
      AuditRecorded.TYPE,
      {
        actorUserId: null,
        action,
        resourceType: 'exchange_account',
        resourceId: account.apiKeyId,
        outcome,
        ip: null,
        userAgent: null,
        details: {
          userId: account.userId,
          exchange: account.exchange,
          exchangeKeyId: account.apiKeyId,
          asset: asset.asset,
          exchangeTotal: asset.exchangeTotal,
          ledger: asset.ledger,
          shortfall: asset.shortfall,
          allowed: asset.allowed,
          bots: account.bots.map((b) => b.botId),
        },
        recordedAt: at,
      },
      { source: ENGINE_SOURCE },
    );
  }

  private async workingLiveOrders(botIds: readonly string[]): Promise<OrderEntity[]> {
    const working: OrderEntity[] = [];
    for (const botId of botIds) working.push(...(await this.orders.findActiveByBot(botId)).filter((o) => o.mode === 'live'));
    return working;
  }

  /** The bots' order locks, taken in one order (sorted ids) so two checkers never wait on each other. */
  private withLocks<T>(botIds: readonly string[], work: () => Promise<T>): Promise<T> {
    const [first, ...rest] = botIds;
    return first === undefined ? work() : this.ctx.lock.withLock(first, () => this.withLocks(rest, work));
  }

  /**
   * One periodic round per interval across engine instances: the first instance to claim it runs it. The start
   * round always runs (and claims the interval, so the others' next tick skips).
   */
  private async claimRound(intervalMs: number, force: boolean): Promise<boolean> {
    const key = `${this.ctx.namespace}trading-engine:balance-reconcile-round`;
    const ttl = Math.max(500, intervalMs - 500);
    if (force) {
      await this.ctx.redis.set(key, '1', 'PX', ttl);
      return true;
    }
    return (await this.ctx.redis.set(key, '1', 'PX', ttl, 'NX')) === 'OK';
  }

  private launch(run: () => Promise<unknown>): void {
    if (this.running || this.stopped) return;
    this.running = run()
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error({ msg: 'live balance reconciliation failed', detail: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        this.running = null;
      });
  }
}

/** The accounts to check: those with a running live bot, each with every live bot holding on it (any status). */
export function liveAccounts(bots: readonly LiveBotAccount[]): LiveAccount[] {
  const byKey = new Map<string, LiveAccount & { bots: LiveBotAccount[] }>();
  for (const bot of bots) {
    const id = `${bot.userId}|${bot.exchange}|${bot.apiKeyId}`;
    const account = byKey.get(id) ?? { userId: bot.userId, exchange: bot.exchange, apiKeyId: bot.apiKeyId, bots: [] };
    account.bots.push(bot);
    byKey.set(id, account);
  }
  return [...byKey.values()].filter((a) => a.bots.some((b) => b.status === 'running'));
}
