import Decimal from 'decimal.js';
import { Injectable, Logger } from '@nestjs/common';
import { SignalEmitted } from '@trading/contracts';
import { ExchangeError, ExchangeFinalError, ExchangeOrder, MarketInfo, PaperExchangeAdapter, type PaperExchangeSnapshot } from '@trading/exchange';
import { runIdempotent } from '@trading/streams';
import { QueryFailedError } from 'typeorm';
import { dec } from '../accounting/exact-decimal';
import { BotAccountEntity } from '../accounts/bot-account.entity';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { BotSettings, BotSettingsUnavailableError } from '../bots/bot-settings.provider';
import { FillBooker } from '../booking/fill-booker';
import { OutboxBatch } from '../booking/outbox-batch';
import { EngineContext } from '../execution/engine-context';
import { EngineRejection, OrderDraft, OrderRecorder } from '../execution/order-recorder';
import { openPaperAccount, paperMarket, paperSnapshotToStore, splitSymbol } from '../execution/paper-venue';
import { timeframeMs } from '../execution/timeframes';
import { LiveVenue } from '../live/live-exchanges';
import { LiveKeyUnavailableError } from '../live/live-key-unavailable.error';
import { LiveOrderDesk, tradableQuantity } from '../live/live-order-desk';
import { liveClientOrderId } from '../live/live-client-order-id';
import { ACTIVE_ORDER_STATUSES, OrderEntity } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';
import { PositionRepository } from '../positions/position.repository';
import { sizeEntry, UNKNOWN_FILL_BUFFER_BPS } from './position-sizing';
import type { CachedCandle } from '@trading/market-cache';
import { planTarget } from './target-plan';

export const SIGNALS_GROUP = 'trading-engine';
const ENTRY_STATUSES = new Set(['running']);

interface LiveSetup {
  readonly ok: true;
  readonly venue: LiveVenue;
  readonly market: MarketInfo;
  readonly freeQuote: string;
  /** The exchange's last price: a live market order fills near it, not at the signal's candle close. */
  readonly lastPrice: string;
}

interface LiveRefusal {
  readonly ok: false;
  readonly reason: EngineRejection;
  readonly rejectedBy: 'engine' | 'exchange';
  readonly message: string;
}

type Decision =
  | { readonly kind: 'place'; readonly draft: OrderDraft }
  | { readonly kind: 'reject'; readonly draft: OrderDraft; readonly reason: EngineRejection; readonly rejectedBy: 'risk' | 'engine' | 'exchange'; readonly message: string; readonly riskCodes?: string[] };

export type SignalOutcome = 'duplicate' | 'no_change' | 'handled';

/**
 * One SignalEmitted: under the bot's lock, size the orders that move the position to the target, ask risk,
 * place them on the bot's exchange account and record orders, fills, position, balances and events.
 * Paper: everything in one transaction together with the signal's processed_events row. Live: the orders are
 * committed `pending` with the processed_events row, then sent (LiveOrderDesk). The signal id is the first
 * order's client order id (UNIQUE; live, derived from it where the exchange refuses it as it is: liveClientOrderId),
 * so a signal never places a second order however often it is delivered.
 */
@Injectable()
export class SignalProcessor {
  private readonly logger = new Logger(SignalProcessor.name);

  constructor(
    private readonly ctx: EngineContext,
    private readonly accounts: BotAccountRepository,
    private readonly orders: OrderRepository,
    private readonly positions: PositionRepository,
    private readonly recorder: OrderRecorder,
    private readonly booker: FillBooker,
    private readonly live: LiveOrderDesk,
  ) {}

  handle(event: SignalEmitted.Event): Promise<SignalOutcome> {
    return this.ctx.lock.withLock(event.payload.botId, () => this.handleLocked(event));
  }

  private async handleLocked(event: SignalEmitted.Event): Promise<SignalOutcome> {
    const s = event.payload;
    if (await this.alreadyHandled(event)) return 'duplicate';
    const common = { signalId: s.signalId, botId: s.botId, userId: s.userId, exchange: s.exchange, symbol: s.symbol, source: 'strategy' as const, type: 'market' as const, price: null };
    const metaBase = { strategy: s.strategy, target: s.target, candleTime: s.candleTime, signalPrice: s.price };

    let settings: BotSettings;
    try {
      settings = await this.ctx.botSettings.get(s.botId, s.userId);
    } catch (error) {
      if (!(error instanceof BotSettingsUnavailableError)) throw error;
      const draft: OrderDraft = { ...common, clientOrderId: s.signalId, mode: 'paper', purpose: 'entry', side: s.target === 'short' ? 'sell' : 'buy', quantity: this.ctx.paper.amountStep, metadata: { ...metaBase, quantityUnknown: true } };
      return this.commit(event, null, null, [{ kind: 'reject', draft, reason: 'bot_settings_unavailable', rejectedBy: 'engine', message: error.message }], []);
    }
    const mode = settings.mode;
    let account = (await this.accounts.find(s.botId)) ?? this.newAccount(s, settings);
    const positionKey = { userId: s.userId, botId: s.botId, exchange: s.exchange, symbol: s.symbol };
    let open = await this.positions.findOpen(positionKey);
    const signalAt = new Date(s.candleTime);
    if (account.lastSignalAt && signalAt.getTime() < account.lastSignalAt.getTime()) {
      const draft: OrderDraft = { ...common, clientOrderId: s.signalId, mode, purpose: 'entry', side: s.target === 'long' ? 'buy' : 'sell', quantity: open?.size ?? this.ctx.paper.amountStep, metadata: { ...metaBase, noop: true } };
      const message = `signal of ${s.candleTime} is older than the last applied one (${account.lastSignalAt.toISOString()})`;
      return this.commit(event, account, settings, [{ kind: 'reject', draft, reason: 'stale_signal', rejectedBy: 'engine', message }], []);
    }
    let live: LiveSetup | null = null;
    if (mode === 'live') {
      const prepared = await this.prepareLive(event, settings);
      if (!prepared.ok) {
        const draft: OrderDraft = { ...common, clientOrderId: s.signalId, mode, purpose: 'entry', side: s.target === 'short' ? 'sell' : 'buy', quantity: open?.size ?? this.ctx.paper.amountStep, metadata: { ...metaBase, quantityUnknown: true } };
        return this.commit(event, account, settings, [{ kind: 'reject', draft, reason: prepared.reason, rejectedBy: prepared.rejectedBy, message: prepared.message }], []);
      }
      live = prepared;
      // fills of earlier orders booked while settling them moved the cash and the position
      account = (await this.accounts.find(s.botId)) ?? account;
      open = await this.positions.findOpen(positionKey);
    }
    const market = live ? live.market : paperMarket(s.symbol, this.ctx.paper);
    const heldQty = open ? dec(open.size).times(open.side === 'long' ? 1 : -1) : dec(0);
    // A live remainder below what the exchange trades (a fee charged in the base currency) is dust: flat for planning.
    const dust = live && open ? tradableQuantity(open.size, market) === null : false;
    const currentQty = dust ? dec(0) : heldQty;
    const canShort = settings.marketType === 'futures';
    const status = (await this.ctx.botStatus.get(s.botId)) ?? settings.status;
    const protective = { stopLossPct: settings.stopLossPct, takeProfitPct: settings.takeProfitPct, trailingStopPct: settings.trailingStopPct, trailingStopActive: settings.trailingStopActive };

    // Size at the price the order will fill at when it is already known (the next candle's open in a
    // replay or catch-up, as the backtester does), else at the signal's close (live: the exchange's last
    // price); slippage included. Unknown yet: leave room for the market to move before the fill
    // (UNKNOWN_FILL_BUFFER_BPS).
    const nextCandle = live ? undefined : await this.nextCandle(s);
    const fillPrice = live ? live.lastPrice : (nextCandle?.open ?? s.price);
    const slipped = dec(fillPrice).times(dec(1).plus(dec(live ? 0 : this.ctx.paper.slippageBps).div(10_000)));
    const sizingPrice = slipped.toFixed();
    const capPrice = nextCandle ? sizingPrice : slipped.times(dec(1).plus(dec(UNKNOWN_FILL_BUFFER_BPS).div(10_000))).toFixed();
    // A buy always pays its notional from the account's cash (no borrowing): capped by what it holds.
    const sizeOf = (spendable: string, equity: Decimal.Value = dec(account.cash).plus(heldQty.times(fillPrice)), side: 'buy' | 'sell' = 'buy') =>
      sizeEntry(settings, equity, spendable, sizingPrice, market, !canShort || side === 'buy', capPrice);
    // Spend no more than the exchange account holds free (paper: its fills round fees and prices on their own;
    // live: the exchange's free quote balance, which other bots on the same key share).
    const free = live ? live.freeQuote : (account.paperSnapshot as PaperExchangeSnapshot | null)?.balances?.[splitSymbol(s.symbol).quote]?.free;
    const spendable = free !== undefined && dec(free).lt(account.cash) ? free : account.cash;
    // A reversal sizes its new position from the cash after the old one is closed (as the backtester does).
    let cashAfterExits = dec(spendable);

    const plan = planTarget(currentQty.toFixed(), s.target, canShort);
    const decisions: Decision[] = [];
    if (!plan.ok) {
      const sized = sizeOf(account.cash);
      const draft: OrderDraft = { ...common, clientOrderId: s.signalId, mode, purpose: 'entry', side: 'sell', quantity: sized.ok ? sized.quantity : this.ctx.paper.amountStep, metadata: metaBase };
      decisions.push({ kind: 'reject', draft, reason: 'short_not_allowed', rejectedBy: 'engine', message: `a ${settings.marketType} bot cannot go short` });
    } else {
      for (const [i, planned] of plan.orders.entries()) {
        const clientOrderId = live ? liveClientOrderId(s.exchange, s.signalId, i) : i === 0 ? s.signalId : `${s.signalId}-${i + 1}`;
        const base = { ...common, clientOrderId, mode, purpose: planned.purpose, side: planned.side, metadata: { ...metaBase, ...(planned.purpose === 'entry' ? { protective } : {}) } };
        let quantity = planned.quantity;
        if (quantity !== null && live) {
          const tradable = tradableQuantity(quantity, market);
          if (!tradable) {
            decisions.push({ kind: 'reject', draft: { ...base, quantity }, reason: 'below_min_size', rejectedBy: 'engine', message: `position ${quantity} below the pair's minimum amount` });
            break;
          }
          quantity = tradable;
        }
        if (quantity !== null && planned.purpose === 'exit') {
          const notional = dec(quantity).times(sizingPrice);
          const fee = notional.times(market.takerFee);
          cashAfterExits = planned.side === 'sell' ? cashAfterExits.plus(notional).minus(fee) : cashAfterExits.minus(notional).minus(fee);
        }
        if (quantity === null) {
          const afterExit = i > 0;
          const sized = afterExit ? sizeOf(cashAfterExits.toFixed(), cashAfterExits, planned.side) : sizeOf(spendable, undefined, planned.side);
          if (!sized.ok) {
            decisions.push({ kind: 'reject', draft: { ...base, quantity: this.ctx.paper.amountStep, metadata: { ...base.metadata, computedQuantity: sized.rawQuantity } }, reason: sized.reason === 'below_min_size' ? 'below_min_size' : 'invalid_order', rejectedBy: 'engine', message: `entry size ${sized.rawQuantity} below the pair's minimum` });
            break;
          }
          quantity = sized.quantity;
          if (!ENTRY_STATUSES.has(status)) {
            decisions.push({ kind: 'reject', draft: { ...base, quantity }, reason: 'bot_not_running', rejectedBy: 'engine', message: `bot is ${status}: no new entries` });
            break;
          }
        }
        const draft: OrderDraft = { ...base, quantity };
        const verdict = await this.ctx.risk.check({ botId: s.botId, userId: s.userId, exchange: s.exchange, symbol: s.symbol, side: planned.side, orderType: 'market', quantity, price: live ? sizingPrice : s.price });
        if (verdict.kind === 'unavailable') {
          decisions.push({ kind: 'reject', draft, reason: 'risk_unavailable', rejectedBy: 'risk', message: `risk check unavailable (${verdict.detail}): fail closed` });
          break;
        }
        if (verdict.kind === 'denied') {
          decisions.push({ kind: 'reject', draft, reason: 'risk_denied', rejectedBy: 'risk', riskCodes: verdict.reasons, message: `risk denied: ${verdict.reasons.join(', ')} (state ${verdict.tradingState})` });
          break;
        }
        decisions.push({ kind: 'place', draft });
      }
    }
    if (decisions.length === 0) {
      // Already at the target: recorded (not published), so every signal leaves exactly one row in the order log.
      const draft: OrderDraft = { ...common, clientOrderId: s.signalId, mode, purpose: 'entry', side: s.target === 'short' ? 'sell' : 'buy', quantity: open?.size ?? this.ctx.paper.amountStep, metadata: { ...metaBase, noop: true } };
      await this.commit(event, account, settings, [{ kind: 'reject', draft, reason: 'already_at_target', rejectedBy: 'engine', message: `position already ${s.target}` }], []);
      return 'no_change';
    }
    if (live) return this.commitLive(event, account, decisions, live, sizingPrice);
    return this.commit(event, account, settings, decisions, await this.activeOrders(s.botId, s.symbol), { referencePrice: capPrice, nextCandle });
  }

  /**
   * What a live signal needs before it is sized: the bot's key (its user's, for the bot's exchange), the pair's
   * rules, the bot's earlier orders settled with the exchange (an order whose outcome is still unknown stops the
   * signal), and the free quote balance. Any failure refuses the signal; nothing is sent.
   */
  private async prepareLive(event: SignalEmitted.Event, settings: BotSettings): Promise<LiveSetup | LiveRefusal> {
    const s = event.payload;
    const refuse = (reason: EngineRejection, rejectedBy: 'engine' | 'exchange', message: string): LiveRefusal => ({ ok: false, reason, rejectedBy, message });
    if (settings.marketType !== 'spot') return refuse('live_execution_unavailable', 'engine', `live execution trades spot bots only (this bot is ${settings.marketType})`);
    if (!settings.apiKeyId) return refuse('live_key_unavailable', 'engine', 'a live bot needs an exchange key (apiKeyId)');
    let venue: LiveVenue;
    try {
      venue = await this.live.venue({ apiKeyId: settings.apiKeyId, userId: s.userId, exchange: s.exchange });
    } catch (error) {
      if (!(error instanceof LiveKeyUnavailableError)) throw error;
      this.logger.warn({ msg: 'live signal refused: no exchange key', botId: s.botId, signalId: s.signalId, problem: error.problem });
      return refuse('live_key_unavailable', 'engine', error.message);
    }
    const cause = { correlationId: event.correlationId, causationId: event.id };
    try {
      const market = await this.live.market(venue, s.symbol);
      if (!market) return refuse('invalid_order', 'exchange', `${s.exchange} has no market ${s.symbol}`);
      const working = (await this.orders.findActiveByBot(s.botId, s.symbol)).filter((o) => o.mode === 'live');
      const [unresolved] = working.length ? await this.live.settle(working, cause) : [];
      if (unresolved) return refuse('previous_order_unresolved', 'engine', `order ${unresolved.clientOrderId} is still ${unresolved.status}: its outcome on the exchange must be known first`);
      const freeQuote = await this.live.freeBalance(venue, market.quote);
      const { last } = await venue.adapter.fetchTicker(s.symbol);
      return { ok: true, venue, market, freeQuote, lastPrice: last };
    } catch (error) {
      if (error instanceof LiveKeyUnavailableError) return refuse('live_key_unavailable', 'engine', error.message);
      if (!(error instanceof ExchangeError)) throw error;
      const reason: EngineRejection = error instanceof ExchangeFinalError ? (error.code === 'auth' ? 'exchange_auth' : error.code === 'rate_limited' ? 'rate_limited' : 'exchange_unavailable') : 'exchange_unavailable';
      return refuse(reason, 'exchange', error.message);
    }
  }

  /**
   * Live: the signal's rows (rejections, and the orders to send as `pending`) commit with its processed_events
   * row first; only then are the orders sent, outside any transaction, and their outcome booked.
   */
  private async commitLive(event: SignalEmitted.Event, account: BotAccountEntity, decisions: Decision[], live: LiveSetup, referencePrice: string): Promise<SignalOutcome> {
    const s = event.payload;
    const cause = { correlationId: event.correlationId, causationId: event.id };
    const batch = new OutboxBatch(cause);
    let pending: OrderEntity[] = [];
    try {
      const outcome = await runIdempotent(this.ctx.dataSource, { schema: 'trading', consumerGroup: SIGNALS_GROUP, eventId: event.id }, async (manager) => {
        const stored = await this.accounts.ensure(this.accountRow(account), manager);
        if (!stored.lastSignalAt || stored.lastSignalAt.getTime() < new Date(s.candleTime).getTime()) {
          await this.accounts.update(stored.botId, { lastSignalAt: new Date(s.candleTime) }, manager);
        }
        for (const d of decisions) {
          if (d.kind === 'reject') await this.recorder.rejected(manager, d.draft, d.reason, { riskCodes: d.riskCodes, message: d.message, rejectedBy: d.rejectedBy }, batch);
        }
        pending = await this.live.recordPending(manager, live.venue, decisions.filter((d) => d.kind === 'place').map((d) => d.draft));
        await batch.flush(this.ctx.outbox, manager);
      });
      if (outcome.duplicate) return 'duplicate';
    } catch (error) {
      if (isUniqueViolation(error, 'uq_orders_client_order_id')) return 'duplicate';
      throw error;
    }
    if (pending.length) await this.live.send(live.venue, pending, cause, referencePrice);
    return 'handled';
  }

  /**
   * A market order fills at the first price after the signal's candle closed: the next candle's open
   * when market-data has already cached that candle (a replay or a catch-up, where the latest ticker
   * would be far ahead), else the latest ticker when it is not older than the close (live). Without
   * either the order stays open and the next candle or ticker on events:market_data fills it.
   * This is the backtester's "fill at the next candle's open" rule.
   */
  private async nextCandle(s: SignalEmitted.Payload): Promise<CachedCandle | undefined> {
    const closeTime = new Date(s.candleTime).getTime() + timeframeMs(s.timeframe);
    const [next] = await this.ctx.candles.window(s.exchange, s.symbol, s.timeframe, 1, closeTime).catch(() => []);
    return next && next.time === closeTime ? next : undefined;
  }

  private async feedNextPrice(paper: PaperExchangeAdapter, s: SignalEmitted.Payload, closeTime: number, known?: CachedCandle): Promise<void> {
    // The candle the order was sized on, so sizing and fill agree even if more candles arrived since.
    const next = known ?? (await this.nextCandle(s));
    if (next) {
      paper.onCandle(s.symbol, { timestamp: next.time, open: next.open, high: next.high, low: next.low, close: next.close, volume: next.volume }, s.timeframe);
      return;
    }
    const ticker = await this.ctx.tickers.read(s.exchange, s.symbol).catch(() => null);
    if (ticker && new Date(ticker.time).getTime() >= closeTime) paper.onTicker({ symbol: s.symbol, timestamp: new Date(ticker.time).getTime(), last: ticker.last, bid: ticker.bid, ask: ticker.ask });
  }

  /** Places the accepted orders on the paper account (in memory) and commits everything in one transaction. */
  private async commit(
    event: SignalEmitted.Event,
    account: BotAccountEntity | null,
    settings: BotSettings | null,
    decisions: Decision[],
    active: OrderEntity[],
    pricing: { referencePrice?: string; nextCandle?: CachedCandle } = {},
  ): Promise<SignalOutcome> {
    const s = event.payload;
    let paper: PaperExchangeAdapter | null = null;
    const placed: { draft: OrderDraft; order: ExchangeOrder }[] = [];
    const finalDecisions: Decision[] = [];
    if (account && decisions.some((d) => d.kind === 'place')) {
      paper = openPaperAccount(account, [s.symbol], this.ctx.paper);
      // The signal's candle close is the last price known when the signal was made; fills come after it.
      const closeTime = new Date(s.candleTime).getTime() + timeframeMs(s.timeframe);
      paper.onTicker({ symbol: s.symbol, timestamp: closeTime - 1, last: s.price });
      // Funds are held at the price the order was sized at (the next candle's open when known).
      const referencePrice = pricing.referencePrice ?? s.price;
      for (const order of active) {
        try {
          await paper.cancelOrder({ symbol: order.symbol, clientOrderId: order.clientOrderId });
        } catch {
          // already closed on the paper account: reconciliation books it
        }
      }
      for (const d of decisions) {
        if (d.kind !== 'place') {
          finalDecisions.push(d);
          continue;
        }
        try {
          placed.push({ draft: d.draft, order: await paper.createOrder({ symbol: s.symbol, type: 'market', side: d.draft.side, amount: d.draft.quantity, clientOrderId: d.draft.clientOrderId, referencePrice }) });
          finalDecisions.push(d);
        } catch (error) {
          if (!(error instanceof ExchangeError)) throw error;
          const reason: EngineRejection = error instanceof ExchangeFinalError && error.code === 'insufficient_funds' ? 'insufficient_funds' : 'invalid_order';
          finalDecisions.push({ kind: 'reject', draft: d.draft, reason, rejectedBy: 'exchange', message: error.message });
          break;
        }
      }
      await this.feedNextPrice(paper, s, closeTime, pricing.nextCandle);
    } else {
      finalDecisions.push(...decisions);
    }

    const batch = new OutboxBatch({ correlationId: event.correlationId, causationId: event.id });
    try {
      const outcome = await runIdempotent(this.ctx.dataSource, { schema: 'trading', consumerGroup: SIGNALS_GROUP, eventId: event.id }, async (manager) => {
        const stored = account ? await this.accounts.ensure(this.accountRow(account), manager) : null;
        if (stored && (!stored.lastSignalAt || stored.lastSignalAt.getTime() < new Date(s.candleTime).getTime())) {
          await this.accounts.update(stored.botId, { lastSignalAt: new Date(s.candleTime) }, manager);
        }
        if (stored && paper) {
          for (const order of active) await this.orders.update(order.id, { status: 'cancelled', cancelledAt: new Date() }, manager);
        }
        for (const d of finalDecisions) {
          if (d.kind === 'reject') {
            await this.recorder.rejected(manager, d.draft, d.reason, { riskCodes: d.riskCodes, message: d.message, rejectedBy: d.rejectedBy }, batch);
          }
        }
        if (stored && paper) {
          for (const p of placed) await this.recorder.placed(manager, p.draft, p.order, batch);
          await this.booker.bookPaperFills(manager, stored, paper, s.symbol, batch, new Set([...placed.map((p) => p.draft.clientOrderId), ...active.map((o) => o.clientOrderId)]));
          await this.accounts.update(stored.botId, { paperSnapshot: await paperSnapshotToStore(paper, () => this.orders.activeClientOrderIds(stored.botId, manager)) }, manager);
        }
        await batch.flush(this.ctx.outbox, manager);
        return 'handled' as const;
      });
      return outcome.duplicate ? 'duplicate' : 'handled';
    } catch (error) {
      if (isUniqueViolation(error, 'uq_orders_client_order_id')) return 'duplicate';
      throw error;
    } finally {
      if (settings === null) this.logger.warn({ msg: 'signal rejected: bot settings unavailable', botId: s.botId, signalId: s.signalId });
    }
  }

  /**
   * The event was processed, or another delivery of the signal left its first order: under the signal id, or (live,
   * on an exchange that refuses the signal id as it is, as Kraken does) under the client order id derived from it.
   */
  private async alreadyHandled(event: SignalEmitted.Event): Promise<boolean> {
    const s = event.payload;
    const rows: unknown[] = await this.ctx.dataSource.query(
      `SELECT 1 FROM trading.processed_events WHERE consumer_group = $1 AND event_id = $2 UNION ALL SELECT 1 FROM trading.orders WHERE client_order_id IN ($3, $4) LIMIT 1`,
      [SIGNALS_GROUP, event.id, s.signalId, liveClientOrderId(s.exchange, s.signalId, 0)],
    );
    return rows.length > 0;
  }

  private async activeOrders(botId: string, symbol: string): Promise<OrderEntity[]> {
    return (await this.orders.findActiveByBot(botId, symbol)).filter((o) => ACTIVE_ORDER_STATUSES.includes(o.status) && o.mode === 'paper');
  }

  private newAccount(s: SignalEmitted.Payload, settings: BotSettings): BotAccountEntity {
    const now = new Date();
    return {
      botId: s.botId,
      userId: s.userId,
      status: settings.status,
      mode: settings.mode,
      marketType: settings.marketType,
      exchange: s.exchange,
      quoteCurrency: splitSymbol(s.symbol).quote,
      initialCapital: settings.initialCapital,
      cash: settings.initialCapital,
      paperSnapshot: null,
      lastSignalAt: null,
      createdAt: now,
      updatedAt: now,
    };
  }

  private accountRow(a: BotAccountEntity) {
    return { botId: a.botId, userId: a.userId, status: a.status, mode: a.mode, marketType: a.marketType, exchange: a.exchange, quoteCurrency: a.quoteCurrency, initialCapital: a.initialCapital, cash: a.cash };
  }
}

export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' && driver.constraint === constraint;
}
