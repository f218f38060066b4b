import { Injectable, Logger } from '@nestjs/common';
import {
  RpcCaller,
  TradingBalanceView,
  TradingBalancesList,
  TradingOrdersList,
  TradingOrdersPlace,
  TradingOrderView,
  TradingPositionsList,
  TradingTradesList,
} from '@trading/contracts';
import { ExchangeError, ExchangeFinalError } from '@trading/exchange';
import { RpcDomainError } from '@trading/streams';
import { v7 } from 'uuid';
import { BotAccountEntity } from '../accounts/bot-account.entity';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { BalanceRepository } from '../balances/balance.repository';
import { BotSettingsUnavailableError } from '../bots/bot-settings.provider';
import { InvalidCursorError } from '@trading/database';
import { splitSymbol } from '../execution/paper-venue';
import { EngineContext } from '../execution/engine-context';
import { OutboxBatch } from '../booking/outbox-batch';
import { OrderDraft, OrderRecorder } from '../execution/order-recorder';
import { LiveKeyUnavailableError } from '../live/live-key-unavailable.error';
import { LiveOrderDesk } from '../live/live-order-desk';
import { OrderNotCancellableError, PaperOrderDesk } from '../execution/paper-order-desk';
import { freshPrice } from '../execution/price-freshness';
import { ACTIVE_ORDER_STATUSES, OrderEntity } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';
import { PositionEntity } from '../positions/position.entity';
import { PositionRepository } from '../positions/position.repository';
import { TradeRepository } from '../trades/trade.repository';
import { balanceView, orderView, positionView, tradeView } from './trading-views.mapper';
import { required } from '../database/required';

const DEFAULT_PAGE = 50;

/** What the gateway asks of the engine, with ownership: another user's resource is not found; an admin sees all. */
@Injectable()
export class TradingApiService {
  private readonly logger = new Logger(TradingApiService.name);
  constructor(
    private readonly ctx: EngineContext,
    private readonly orders: OrderRepository,
    private readonly trades: TradeRepository,
    private readonly positions: PositionRepository,
    private readonly balances: BalanceRepository,
    private readonly accounts: BotAccountRepository,
    private readonly desk: PaperOrderDesk,
    private readonly live: LiveOrderDesk,
    private readonly recorder: OrderRecorder,
  ) {}

  private owner(caller: RpcCaller): string | undefined {
    return caller.role === 'admin' ? undefined : caller.userId;
  }

  private visible(caller: RpcCaller, userId: string): boolean {
    return caller.role === 'admin' || caller.userId === userId;
  }

  private async paged<T, V>(load: () => Promise<{ items: T[]; nextCursor: string | null }>, view: (t: T) => V) {
    try {
      const page = await load();
      return { items: page.items.map(view), next: page.nextCursor };
    } catch (error) {
      if (error instanceof InvalidCursorError) throw new RpcDomainError(400, 'INVALID_CURSOR', error.message);
      throw error;
    }
  }

  listOrders(r: TradingOrdersList.Request): Promise<TradingOrdersList.Response> {
    return this.paged(() => this.orders.list({ userId: this.owner(r.caller), botId: r.botId }, { limit: r.limit ?? DEFAULT_PAGE, cursor: r.cursor }), orderView);
  }

  async getOrder(caller: RpcCaller, orderId: string): Promise<TradingOrderView> {
    return orderView(await this.ownOrder(caller, orderId));
  }

  listTrades(r: TradingTradesList.Request): Promise<TradingTradesList.Response> {
    return this.paged(() => this.trades.list({ userId: this.owner(r.caller), botId: r.botId }, { limit: r.limit ?? DEFAULT_PAGE, cursor: r.cursor }), tradeView);
  }

  listPositions(r: TradingPositionsList.Request): Promise<TradingPositionsList.Response> {
    return this.paged(() => this.positions.list({ userId: this.owner(r.caller), botId: r.botId, status: r.status }, { limit: r.limit ?? DEFAULT_PAGE, cursor: r.cursor }), positionView);
  }

  async listBalances(r: TradingBalancesList.Request): Promise<{ items: TradingBalanceView[] }> {
    const owner = this.owner(r.caller);
    let rows = r.botId ? await this.balances.listByBot(r.botId) : owner ? await this.balances.listByUser(owner) : await this.balances.listAll();
    if (owner) rows = rows.filter((b) => b.userId === owner);
    return { items: rows.map(balanceView) };
  }

  async placeOrder(r: TradingOrdersPlace.Request): Promise<TradingOrderView> {
    if (r.type === 'limit' && !r.price) throw new RpcDomainError(400, 'PRICE_REQUIRED', 'a limit order needs a price');
    if (r.clientOrderId) {
      const existing = await this.orders.findByClientOrderId(r.clientOrderId);
      if (existing) {
        if (!this.visible(r.caller, existing.userId)) throw new RpcDomainError(409, 'CLIENT_ORDER_ID_TAKEN', 'client order id already used');
        return orderView(existing);
      }
    }
    const { account, symbol, apiKeyId } = await this.accountForManualOrder(r.caller, r.botId);
    const draft: OrderDraft = {
      clientOrderId: r.clientOrderId ?? v7(),
      signalId: null,
      botId: account.botId,
      userId: account.userId,
      exchange: account.exchange,
      symbol,
      mode: account.mode,
      source: 'manual',
      purpose: 'entry',
      side: r.side,
      type: r.type,
      quantity: r.quantity,
      price: r.type === 'limit' ? required(r.price, 'the price of a limit order') : null,
      metadata: { requestedBy: r.caller.userId },
    };
    if (account.mode === 'live') return orderView(await this.ctx.lock.withLock(account.botId, () => this.placeLive(account, apiKeyId, draft)));
    const referencePrice = draft.type === 'market' ? await this.currentPaperPrice(draft) : undefined;
    const [order] = await this.ctx.lock.withLock(account.botId, () => this.desk.place(account, [draft], { checkRisk: true, cause: {}, referencePrice }));
    return orderView(required(order, 'the placed order'));
  }

  /**
   * A paper market order fills at the cached ticker. Without a price received within PAPER_MANUAL_PRICE_MAX_AGE_MS
   * (the replay or feed stopped) it would be checked against the account's last price, however old, and rest
   * until some later market event: refused instead, nothing recorded.
   */
  private async currentPaperPrice(draft: OrderDraft): Promise<string> {
    const maxAgeMs = this.ctx.config.PAPER_MANUAL_PRICE_MAX_AGE_MS;
    const cached = await this.ctx.tickers.readReceived(draft.exchange, draft.symbol);
    const price = freshPrice(cached, maxAgeMs, Date.now());
    if (price === null) throw new RpcDomainError(409, 'NO_FRESH_PRICE', `no price newer than ${maxAgeMs / 1000} s for ${draft.symbol}`);
    return price;
  }

  /** A manual order of a live bot: risk first (fail closed), then the live path (pending, sent once, booked). */
  private async placeLive(account: BotAccountEntity, apiKeyId: string | null, draft: OrderDraft): Promise<OrderEntity> {
    if (!apiKeyId) throw new RpcDomainError(409, 'LIVE_KEY_MISSING', 'a live bot needs an exchange key (apiKeyId)');
    const venue = await this.liveCall(() => this.live.venue({ apiKeyId, userId: account.userId, exchange: account.exchange }));
    const market = await this.liveCall(() => this.live.market(venue, draft.symbol));
    if (!market) throw new RpcDomainError(400, 'INVALID_ORDER', `${account.exchange} has no market ${draft.symbol}`);
    const reference = draft.price ?? (await this.ctx.tickers.read(draft.exchange, draft.symbol).catch(() => null))?.last ?? (await this.liveCall(() => venue.adapter.fetchTicker(draft.symbol))).last;
    const verdict = await this.ctx.risk.check({ botId: account.botId, userId: account.userId, exchange: draft.exchange, symbol: draft.symbol, side: draft.side, orderType: draft.type, quantity: draft.quantity, price: reference });
    if (verdict.kind !== 'approved') {
      const reason = verdict.kind === 'denied' ? 'risk_denied' : 'risk_unavailable';
      const message = verdict.kind === 'denied' ? `risk denied: ${verdict.reasons.join(', ')}` : `risk check unavailable (${verdict.detail}): fail closed`;
      return this.ctx.dataSource.transaction(async (manager) => {
        const batch = new OutboxBatch({});
        const order = await this.recorder.rejected(manager, draft, reason, { riskCodes: verdict.kind === 'denied' ? verdict.reasons : undefined, message, rejectedBy: 'risk' }, batch);
        await batch.flush(this.ctx.outbox, manager);
        return order;
      });
    }
    const [order] = await this.live.place(venue, [draft], {}, reference);
    return required(order, 'the placed order');
  }

  /** Exchange-side failures of a live request, as answers the gateway can give. */
  private async liveCall<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof LiveKeyUnavailableError) throw new RpcDomainError(409, 'LIVE_KEY_UNAVAILABLE', error.message);
      if (error instanceof ExchangeFinalError && error.code === 'invalid_order') throw new RpcDomainError(400, 'INVALID_ORDER', error.message);
      if (error instanceof ExchangeError) throw new RpcDomainError(503, 'EXCHANGE_UNAVAILABLE', error.message);
      throw error;
    }
  }

  async cancelOrder(caller: RpcCaller, orderId: string): Promise<TradingOrderView> {
    const order = await this.ownOrder(caller, orderId);
    if (!order.botId || !ACTIVE_ORDER_STATUSES.includes(order.status)) throw new RpcDomainError(409, 'ORDER_NOT_CANCELLABLE', `order is ${order.status}`);
    const account = await this.ownAccount(caller, order.botId);
    try {
      return orderView(
        await this.ctx.lock.withLock(order.botId, async () => {
          const fresh = required(await this.orders.findById(order.id), `order ${order.id}`);
          if (!ACTIVE_ORDER_STATUSES.includes(fresh.status)) throw new OrderNotCancellableError(fresh);
          if (fresh.mode === 'live') return this.liveCall(() => this.live.cancelWorking(fresh, {}));
          return this.desk.cancel(required(await this.accounts.find(account.botId), `account of bot ${account.botId}`), fresh);
        }),
      );
    } catch (error) {
      if (error instanceof OrderNotCancellableError) throw new RpcDomainError(409, 'ORDER_NOT_CANCELLABLE', error.message);
      throw error;
    }
  }

  async closePosition(caller: RpcCaller, positionId: string): Promise<TradingOrderView> {
    const position = await this.positions.findById(positionId);
    if (!position || !this.visible(caller, position.userId)) throw new RpcDomainError(404, 'POSITION_NOT_FOUND', 'position not found');
    if (position.status !== 'open' || !position.botId) throw new RpcDomainError(409, 'POSITION_NOT_OPEN', `position is ${position.status}`);
    const [order] = await this.closeBotPositions(position.botId, 'manual', (p) => p.id === position.id);
    if (!order && position.mode === 'live' && (await this.positions.findById(position.id))?.status === 'open') {
      throw new RpcDomainError(503, 'LIVE_CLOSE_FAILED', 'the closing order could not be placed on the exchange (see the engine log); try again');
    }
    if (!order) throw new RpcDomainError(409, 'POSITION_NOT_OPEN', 'position closed meanwhile');
    return orderView(order);
  }

  async closeAll(caller: RpcCaller, botId: string): Promise<{ orders: TradingOrderView[] }> {
    const account = await this.accounts.find(botId);
    if (account ? !this.visible(caller, account.userId) : !(await this.settingsFor(caller, botId))) throw new RpcDomainError(404, 'BOT_NOT_FOUND', 'bot not found');
    if (!account) return { orders: [] };
    return { orders: (await this.closeBotPositions(botId, 'manual')).map(orderView) };
  }

  /**
   * Market orders closing the bot's open positions (skipping one that already has a working exit). No risk
   * check: a close only reduces exposure, and must work while risk halts trading or is down.
   */
  async closeBotPositions(botId: string, source: 'manual' | 'risk', which: (p: PositionEntity) => boolean = () => true): Promise<OrderEntity[]> {
    return this.ctx.lock.withLock(botId, async () => {
      const account = await this.accounts.find(botId);
      if (!account) return [];
      const open = (await this.positions.listOpenByBot(botId)).filter(which);
      // an exit already working (an order on the other side of the position) is not doubled
      const exits = new Set((await this.orders.findActiveByBot(botId)).map((o) => `${o.symbol}|${o.side}`));
      if (account.mode === 'live') return this.closeLive(open.filter((p) => p.mode === 'live' && !exits.has(`${p.symbol}|${p.side === 'long' ? 'sell' : 'buy'}`)), source);
      if (account.mode !== 'paper') return [];
      const drafts: OrderDraft[] = open
        .filter((p) => !exits.has(`${p.symbol}|${p.side === 'long' ? 'sell' : 'buy'}`))
        .map((p) => ({
          clientOrderId: v7(),
          signalId: null,
          botId,
          userId: p.userId,
          exchange: p.exchange,
          symbol: p.symbol,
          mode: p.mode,
          source,
          purpose: 'exit',
          side: p.side === 'long' ? 'sell' : 'buy',
          type: 'market',
          quantity: p.size,
          price: null,
          metadata: { positionId: p.id, closedBy: source },
        }));
      return drafts.length ? this.desk.place(account, drafts, { checkRisk: false, cause: {} }) : [];
    });
  }

  /** Live closes, one position after the other: one that fails (logged) does not keep the others open. */
  private async closeLive(positions: PositionEntity[], source: 'manual' | 'risk'): Promise<OrderEntity[]> {
    const placed: OrderEntity[] = [];
    for (const p of positions) {
      try {
        const order = await this.live.closePosition(p, { source, purpose: 'exit', metadata: { closedBy: source } }, {});
        if (order) placed.push(order);
      } catch (error) {
        if (!(error instanceof LiveKeyUnavailableError || error instanceof ExchangeError)) throw error;
        this.logger.error({ msg: 'live position not closed', positionId: p.id, botId: p.botId, source, detail: error.message });
      }
    }
    return placed;
  }

  private async ownOrder(caller: RpcCaller, orderId: string): Promise<OrderEntity> {
    const order = await this.orders.findById(orderId);
    if (!order || !this.visible(caller, order.userId)) throw new RpcDomainError(404, 'ORDER_NOT_FOUND', 'order not found');
    return order;
  }

  private async ownAccount(caller: RpcCaller, botId: string): Promise<BotAccountEntity> {
    const account = await this.accounts.find(botId);
    if (!account || !this.visible(caller, account.userId)) throw new RpcDomainError(404, 'BOT_NOT_FOUND', 'bot not found (or it has not traded yet)');
    return account;
  }

  private async settingsFor(caller: RpcCaller, botId: string) {
    try {
      return await this.ctx.botSettings.getFor(caller, botId);
    } catch (error) {
      if (error instanceof BotSettingsUnavailableError) throw new RpcDomainError(503, 'BOT_SETTINGS_UNAVAILABLE', error.message);
      throw error;
    }
  }

  /** The bot's account (opened with the bot's capital if the bot never traded) and its symbol, from strategy. */
  private async accountForManualOrder(caller: RpcCaller, botId: string): Promise<{ account: BotAccountEntity; symbol: string; apiKeyId: string | null }> {
    const existing = await this.accounts.find(botId);
    if (existing && !this.visible(caller, existing.userId)) throw new RpcDomainError(404, 'BOT_NOT_FOUND', 'bot not found');
    const settings = await this.settingsFor(caller, botId);
    if (!settings) throw new RpcDomainError(404, 'BOT_NOT_FOUND', 'bot not found');
    if (existing) return { account: existing, symbol: settings.symbol, apiKeyId: settings.apiKeyId };
    const account = await this.ctx.dataSource.transaction((manager) =>
      this.accounts.ensure(
        {
          botId,
          userId: settings.userId,
          status: settings.status,
          mode: settings.mode,
          marketType: settings.marketType,
          exchange: settings.exchange,
          quoteCurrency: splitSymbol(settings.symbol).quote,
          initialCapital: settings.initialCapital,
          cash: settings.initialCapital,
        },
        manager,
      ),
    );
    return { account, symbol: settings.symbol, apiKeyId: settings.apiKeyId };
  }
}
