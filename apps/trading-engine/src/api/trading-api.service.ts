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
import { ExchangeError, ExchangeFinalError, MarketInfo } from '@trading/exchange';
import { RpcDomainError } from '@trading/streams';
import { v7 } from 'uuid';
import { BotAccountEntity } from '../accounts/bot-account.entity';
import { BotAccountRepository, NewBotAccount } from '../accounts/bot-account.repository';
import { dec, ExactDecimal } from '../accounting/exact-decimal';
import { BalanceRepository } from '../balances/balance.repository';
import { BotSettings, BotSettingsUnavailableError } from '../bots/bot-settings.provider';
import { InvalidCursorError } from '@trading/database';
import { openPaperAccount, paperMarket, splitSymbol } from '../execution/paper-venue';
import { EngineContext } from '../execution/engine-context';
import { OutboxBatch } from '../booking/outbox-batch';
import { OrderDraft, OrderRecorder } from '../execution/order-recorder';
import { LiveKeyUnavailableError } from '../live/live-key-unavailable.error';
import { LiveOrderDesk } from '../live/live-order-desk';
import { OrderNotCancellableError, PaperOrderDesk, usableTickers } from '../execution/paper-order-desk';
import { PaperPriceUnavailableError } from '../execution/paper-price-unavailable.error';
import { UNKNOWN_FILL_BUFFER_BPS } from '../signals/position-sizing';
import { ACTIVE_ORDER_STATUSES, OrderEntity } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';
import { PositionEntity } from '../positions/position.entity';
import { PositionRepository } from '../positions/position.repository';
import { TradeRepository } from '../trades/trade.repository';
import { ManualOrderFunds, manualOrderRefusal, ManualOrderRequest, paperBuyPriceBound } from './manual-order-rules';
import { balanceView, orderView, positionView, tradeView } from './trading-views.mapper';
import { required } from '../database/required';

const DEFAULT_PAGE = 50;

/** Bots that take manual orders: running, or paused (the strategy stopped acting; the user trades by hand). */
const MANUAL_ORDER_STATUSES: ReadonlySet<string> = new Set(['running', 'paused']);

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
    const settings = await this.botForManualOrder(r.caller, r.botId);
    if (!MANUAL_ORDER_STATUSES.has(settings.status)) {
      throw new RpcDomainError(409, 'BOT_NOT_RUNNING', `bot is ${settings.status}: start (or pause) it to place manual orders; its positions can be closed in any state`);
    }
    const order = await this.ctx.lock.withLock(settings.id, async () => {
      // read under the lock: the paper account placed on is the stored one, not a copy an earlier fill outdated
      const stored = await this.accounts.find(settings.id);
      const account = stored ?? unsavedAccount(settings);
      const draft: OrderDraft = {
        clientOrderId: r.clientOrderId ?? v7(),
        signalId: null,
        botId: account.botId,
        userId: account.userId,
        exchange: account.exchange,
        symbol: settings.symbol,
        mode: account.mode,
        source: 'manual',
        purpose: 'entry',
        side: r.side,
        type: r.type,
        quantity: r.quantity,
        price: r.type === 'limit' ? required(r.price, 'the price of a limit order') : null,
        metadata: { requestedBy: r.caller.userId },
      };
      // nothing is written (not even a new bot's account) before the order passed every check
      const opened = async () => stored ?? this.ctx.dataSource.transaction((manager) => this.accounts.ensure(newAccountOf(settings), manager));
      return account.mode === 'live' ? this.placeLive(account, opened, settings, draft) : this.placePaper(account, opened, draft);
    });
    return orderView(order);
  }

  /**
   * A paper manual order. A market order fills now at market-data's cached ticker or is refused now (409): the
   * ticker must have been received within PAPER_MANUAL_PRICE_MAX_AGE_MS (NO_FRESH_PRICE) and must not be older
   * than the account's last price (PRICE_BEHIND_ACCOUNT: a replay restarted on an older day). Before, the first
   * case was checked against the account's last price however old, and both rested until some later market
   * event. A limit order needs no price; a usable one is fed, so a limit it crosses fills at once.
   */
  private async placePaper(account: BotAccountEntity, opened: () => Promise<BotAccountEntity>, draft: OrderDraft): Promise<OrderEntity> {
    const verdicts = await this.desk.prices(account, draft.exchange, [draft.symbol]);
    const verdict = required(verdicts.get(draft.symbol), `price verdict of ${draft.symbol}`);
    let price = draft.price;
    if (price === null) {
      if (!verdict.usable) throw new RpcDomainError(409, verdict.problem, verdict.message);
      price = verdict.ticker.last;
    }
    const market = paperMarket(draft.symbol, this.ctx.paper);
    const balances = await openPaperAccount(account, [draft.symbol], this.ctx.paper).fetchBalance();
    // the paper account's free balances: what its working orders hold is reserved there already
    this.refuseBroken(checked(draft, price, paperBuyPriceBound(price, this.ctx.paper.slippageBps, market.priceTick)), market, {
      spendable: balances[market.quote]?.free ?? '0',
      sellable: account.marketType === 'futures' ? null : (balances[market.base]?.free ?? '0'),
    });
    const [order] = await this.desk.place(await opened(), [draft], { checkRisk: true, cause: {}, prices: usableTickers(verdicts) });
    return required(order, 'the placed order');
  }

  /**
   * A manual order of a live bot: checked against the exchange's rules and the bot's ledger, risk asked (fail
   * closed), then the live path (pending, sent once, booked). A market order is priced by the exchange's own
   * ticker, never by market-data's cache: a cached price may be stale or a replay's, and risk and the
   * minimum-notional check must see the price the order will really trade at.
   */
  private async placeLive(account: BotAccountEntity, opened: () => Promise<BotAccountEntity>, settings: BotSettings, draft: OrderDraft): Promise<OrderEntity> {
    const apiKeyId = settings.apiKeyId;
    if (!apiKeyId) throw new RpcDomainError(409, 'LIVE_KEY_MISSING', 'a live bot needs an exchange key (apiKeyId)');
    if (account.marketType !== 'spot') throw new RpcDomainError(409, 'LIVE_EXECUTION_UNAVAILABLE', 'live trading is spot only: the ledger does not model margin');
    const venue = await this.liveCall(() => this.live.venue({ apiKeyId, userId: account.userId, exchange: account.exchange }));
    const market = await this.liveCall(() => this.live.market(venue, draft.symbol));
    if (!market) throw new RpcDomainError(400, 'INVALID_ORDER', `${account.exchange} has no market ${draft.symbol}`);
    const price = draft.price ?? (await this.liveCall(() => venue.adapter.fetchTicker(draft.symbol))).last;
    const buyPriceBound = dec(price).times(dec(1).plus(dec(UNKNOWN_FILL_BUFFER_BPS).div(10_000))).toFixed();
    this.refuseBroken(checked(draft, price, buyPriceBound), market, await this.liveFunds(account, draft.symbol, price));
    const verdict = await this.ctx.risk.check({ botId: account.botId, userId: account.userId, exchange: draft.exchange, symbol: draft.symbol, side: draft.side, orderType: draft.type, quantity: draft.quantity, price });
    await opened();
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
    const [order] = await this.live.place(venue, [draft], {}, price);
    return required(order, 'the placed order');
  }

  /**
   * What a live bot may trade now by its own ledger: its long position less what its working sells still sell,
   * its cash less what its working buys may still spend (a market buy's at `price`). The exchange account may hold
   * more (other bots, the user's own coins) but a fill beyond the bot's books could never be booked.
   */
  private async liveFunds(account: BotAccountEntity, symbol: string, price: string): Promise<ManualOrderFunds> {
    const position = await this.positions.findOpen({ userId: account.userId, botId: account.botId, exchange: account.exchange, symbol });
    let sellable = dec(position?.side === 'long' ? position.size : 0);
    let spendable = dec(account.cash);
    for (const o of await this.orders.findActiveByBot(account.botId, symbol)) {
      const remaining = dec(o.quantity).minus(o.filledQuantity);
      if (o.side === 'sell') sellable = sellable.minus(remaining);
      else spendable = spendable.minus(remaining.times(o.price ?? price));
    }
    return { sellable: ExactDecimal.max(sellable, 0).toFixed(), spendable: ExactDecimal.max(spendable, 0).toFixed() };
  }

  private refuseBroken(order: ManualOrderRequest, market: MarketInfo, funds: ManualOrderFunds): void {
    const refusal = manualOrderRefusal(order, market, funds);
    if (refusal) throw new RpcDomainError(refusal.status, refusal.code, refusal.message);
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
    const [order] = await this.manualClose(position.botId, (p) => p.id === position.id);
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
    return { orders: (await this.manualClose(botId)).map(orderView) };
  }

  /** A user's close: a paper close without a price it may fill at now is refused (409), nothing recorded. */
  private async manualClose(botId: string, which?: (p: PositionEntity) => boolean): Promise<OrderEntity[]> {
    try {
      return await this.closeBotPositions(botId, 'manual', which);
    } catch (error) {
      if (error instanceof PaperPriceUnavailableError) throw new RpcDomainError(409, error.problem, error.message);
      throw error;
    }
  }

  /**
   * Market orders closing the bot's open positions (skipping one that already has a working exit). No risk
   * check: a close only reduces exposure, and must work while risk halts trading or is down. On paper, a close
   * fills now at a usable price (fresh, not older than the account's clock: `PaperOrderDesk.prices`). Without
   * one, a manual close is refused (PaperPriceUnavailableError: the user is told now, as for a market order);
   * risk's flatten is not (nobody could retry it): its exit rests and fills at the next market price, never at a
   * stale one.
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
      if (!drafts.length) return [];
      const verdicts = await this.desk.prices(account, account.exchange, drafts.map((d) => d.symbol));
      for (const verdict of verdicts.values()) {
        if (!verdict.usable && source === 'manual') throw new PaperPriceUnavailableError(verdict.problem, verdict.message);
      }
      return this.desk.place(account, drafts, { checkRisk: false, cause: {}, prices: usableTickers(verdicts) });
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

  /** The bot's settings from strategy (another user's bot is not found, also when its account is), for a manual order. */
  private async botForManualOrder(caller: RpcCaller, botId: string): Promise<BotSettings> {
    const existing = await this.accounts.find(botId);
    if (existing && !this.visible(caller, existing.userId)) throw new RpcDomainError(404, 'BOT_NOT_FOUND', 'bot not found');
    const settings = await this.settingsFor(caller, botId);
    if (!settings) throw new RpcDomainError(404, 'BOT_NOT_FOUND', 'bot not found');
    return settings;
  }
}

/** A draft as the manual order rules see it: a market order at `price`, a buy at worst at `marketBuyBound`. */
function checked(draft: OrderDraft, price: string, marketBuyBound: string): ManualOrderRequest {
  return { symbol: draft.symbol, side: draft.side, quantity: draft.quantity, limitPrice: draft.price, price, buyPriceBound: draft.price ?? marketBuyBound };
}

/** The account a bot that never traded opens with: its capital as cash. */
function newAccountOf(settings: BotSettings): NewBotAccount {
  return {
    botId: settings.id,
    userId: settings.userId,
    status: settings.status,
    mode: settings.mode,
    marketType: settings.marketType,
    exchange: settings.exchange,
    quoteCurrency: splitSymbol(settings.symbol).quote,
    initialCapital: settings.initialCapital,
    cash: settings.initialCapital,
  };
}

/** That account before it is stored: a manual order is checked against it, and only an order that passes stores it. */
function unsavedAccount(settings: BotSettings): BotAccountEntity {
  const now = new Date();
  return Object.assign(new BotAccountEntity(), { ...newAccountOf(settings), paperSnapshot: null, lastSignalAt: null, createdAt: now, updatedAt: now });
}
