import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { MarketCandleClosed, MarketTickerUpdated } from '@trading/contracts';
import { ExchangeError, type PaperExchangeSnapshot } from '@trading/exchange';
import { runIdempotent } from '@trading/streams';
import { v7 } from 'uuid';
import { dec, toMoney } from '../accounting/exact-decimal';
import { BotAccountEntity } from '../accounts/bot-account.entity';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { FillBooker } from '../booking/fill-booker';
import { OutboxBatch } from '../booking/outbox-batch';
import { EngineContext } from '../execution/engine-context';
import { OrderRecorder } from '../execution/order-recorder';
import { openPaperAccount, paperSnapshotToStore } from '../execution/paper-venue';
import { LiveKeyUnavailableError } from '../live/live-key-unavailable.error';
import { LiveOrderDesk } from '../live/live-order-desk';
import { ACTIVE_ORDER_STATUSES, OrderSource } from '../orders/order.entity';
import { PositionEntity } from '../positions/position.entity';
import { OrderRepository } from '../orders/order.repository';
import { PositionRepository } from '../positions/position.repository';
import { markOf, movedTrailingMarks, PositionMarkBuffer } from './position-marks';
import { checkStops, PriceMove, StopTrigger } from './stop-rules';

export const STOPS_GROUP = 'trading-engine-stops';

type MarketEvent = MarketCandleClosed.Event | MarketTickerUpdated.Event;

interface MarketPoint {
  readonly exchange: string;
  readonly symbol: string;
  /** When the price happened (a candle's open time: its open is the first price after earlier orders). */
  readonly time: number;
  readonly move: PriceMove;
}

function pointOf(event: MarketEvent): MarketPoint {
  if (event.type === MarketCandleClosed.TYPE) {
    const c = event.payload;
    return { exchange: c.exchange, symbol: c.symbol, time: new Date(c.openTime).getTime(), move: { high: c.high, low: c.low, last: c.close } };
  }
  const t = event.payload;
  return { exchange: t.exchange, symbol: t.symbol, time: new Date(t.time).getTime(), move: { high: t.last, low: t.last, last: t.last } };
}

interface TriggeredExit {
  readonly position: PositionEntity;
  readonly trigger: StopTrigger;
  readonly level: string | null;
}

const SOURCE_OF: Record<StopTrigger, OrderSource> = { stop_loss: 'stop_loss', take_profit: 'take_profit', trailing_stop: 'trailing_stop' };

/**
 * Every ticker/candle: feed the paper accounts that have working orders or open positions on the symbol (market
 * orders fill at this next price), book the fills, move the trailing high/low-water marks (stored on the position,
 * so they survive a restart) and place the exit when a stop loss, take profit or trailing stop is crossed.
 */
interface Candidate {
  readonly botId: string;
  readonly userId: string;
  readonly mode: string;
  /** The newest price time the paper account has stored. */
  readonly clock: number;
  /** Orders working on the symbol: in trading.orders, or open on the paper account (something may fill). */
  readonly working: boolean;
}

/**
 * Every ticker/candle: feed the paper accounts that have working orders or open positions on the symbol (market
 * orders fill at this next price), book the fills, move the trailing high/low-water marks (stored on the position,
 * so they survive a restart) and place the exit when a stop loss, take profit or trailing stop is crossed.
 *
 * Most events change nothing that must be stored: no order to fill, no stop crossed. Those are decided from one
 * read of every concerned bot (and one of their positions), with no lock and no transaction; a trailing mark that
 * moves is written at once by one monotonic UPDATE, and display marks (current price, unrealized PnL) are
 * coalesced (PositionMarkBuffer). Only a fill or a crossed stop takes the bot's lock and rewrites its account.
 */
@Injectable()
export class MarketEventProcessor implements OnApplicationShutdown {
  private readonly logger = new Logger(MarketEventProcessor.name);
  readonly marks: PositionMarkBuffer;

  constructor(
    private readonly ctx: EngineContext,
    private readonly accounts: BotAccountRepository,
    private readonly orders: OrderRepository,
    private readonly positions: PositionRepository,
    private readonly recorder: OrderRecorder,
    private readonly booker: FillBooker,
    private readonly live: LiveOrderDesk,
  ) {
    this.marks = new PositionMarkBuffer(positions, ctx.config.POSITION_MARK_FLUSH_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.marks.flush();
    this.marks.close();
  }

  async handle(event: MarketEvent): Promise<void> {
    const point = pointOf(event);
    const candidates = await this.candidates(point);
    const open = new Map((await this.positions.listOpenOfBots(candidates.map((c) => c.botId), point.exchange, point.symbol)).map((p) => [`${p.botId}|${p.userId}`, p]));
    for (const candidate of candidates) {
      const position = open.get(`${candidate.botId}|${candidate.userId}`) ?? null;
      if (candidate.mode === 'paper' && point.time < candidate.clock) continue; // older than what this account has seen: no fills, no stops
      if (candidate.mode !== 'paper' && candidate.mode !== 'live') continue;
      if (!candidate.working && (!position || (await this.onlyMarksMoved(position, point)))) continue;
      await this.ctx.lock.withLock(candidate.botId, () => this.processBot(candidate.botId, event, point));
    }
  }

  /**
   * Bots with working orders or an open position on the market, with what decides whether the event can change
   * anything for them. One read; the snapshot is bounded (PAPER_CLOSED_ORDERS_KEPT), so looking into it is cheap.
   */
  private async candidates(point: MarketPoint): Promise<Candidate[]> {
    const rows: { bot_id: string; user_id: string; mode: string; clock: string | null; working: boolean }[] = await this.ctx.dataSource.query(
      `SELECT a.bot_id, a.user_id, a.mode, a.paper_snapshot->>'clock' AS clock,
              (EXISTS (SELECT 1 FROM trading.orders o WHERE o.bot_id = a.bot_id AND o.exchange = $1 AND o.symbol = $2 AND o.status IN ('pending', 'submitted', 'partially_filled'))
               OR COALESCE(jsonb_path_exists(a.paper_snapshot, '$.orders[*] ? (@.symbol == $s && @.status == "open")', jsonb_build_object('s', $2::text)), false)) AS working
         FROM trading.bot_accounts a
        WHERE a.bot_id IN (
                SELECT bot_id FROM trading.orders WHERE exchange = $1 AND symbol = $2 AND status IN ('pending', 'submitted', 'partially_filled') AND bot_id IS NOT NULL
                UNION SELECT bot_id FROM trading.positions WHERE exchange = $1 AND symbol = $2 AND status = 'open' AND bot_id IS NOT NULL)
        ORDER BY a.bot_id`,
      [point.exchange, point.symbol],
    );
    return rows.map((r) => ({ botId: r.bot_id, userId: r.user_id, mode: r.mode, clock: r.clock === null ? 0 : Number(r.clock), working: r.working }));
  }

  /**
   * A position with no order working: when the event crosses none of its exits, only its marks can move. A moved
   * trailing mark is written at once (it must survive a restart); the display mark is buffered. Returns false
   * when an exit is crossed (the caller takes the lock and checks again on the locked row).
   */
  private async onlyMarksMoved(position: PositionEntity, point: MarketPoint): Promise<boolean> {
    const check = checkStops(position, point.move);
    if (check.trigger) return false;
    const trailing = movedTrailingMarks(position, check);
    if (trailing) {
      this.marks.forget(position.id);
      await this.positions.raiseTrailingMarks({ ...markOf(position, point.move.last), ...trailing });
    } else {
      this.marks.note(position, point.move.last);
    }
    return true;
  }

  private async processBot(botId: string, event: MarketEvent, point: MarketPoint): Promise<void> {
    const account = await this.accounts.find(botId);
    if (account?.mode === 'live') return this.processLiveBot(account, event, point);
    if (!account || account.mode !== 'paper') return;
    const clock = (account.paperSnapshot as PaperExchangeSnapshot | null)?.clock ?? 0;
    if (point.time < clock) return; // older than what this account has seen: no fills, no stops
    const paper = openPaperAccount(account, [point.symbol], this.ctx.paper);
    const openBefore = (await paper.fetchOpenOrders(point.symbol)).length;
    let fills: unknown[];
    if (event.type === MarketCandleClosed.TYPE) {
      const c = event.payload;
      fills = paper.onCandle(c.symbol, { timestamp: point.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }, c.timeframe);
    } else {
      const t = event.payload;
      fills = paper.onTicker({ symbol: t.symbol, timestamp: point.time, last: t.last, bid: t.bid, ask: t.ask });
    }
    const accountChanged = fills.length > 0 || (await paper.fetchOpenOrders(point.symbol)).length !== openBefore;
    if (!accountChanged) {
      // nothing filled: the stored account stays as it is, and the position (if any) is checked as without orders
      const position = await this.positions.findOpen({ userId: account.userId, botId, exchange: point.exchange, symbol: point.symbol });
      if (!position || (await this.onlyMarksMoved(position, point))) return;
    }
    const active = (await this.orders.findActiveByBot(botId, point.symbol)).filter((o) => ACTIVE_ORDER_STATUSES.includes(o.status));
    const relevant = new Set(active.map((o) => o.clientOrderId));
    const batch = new OutboxBatch({ correlationId: event.correlationId, causationId: event.id });
    await runIdempotent(this.ctx.dataSource, { schema: 'trading', consumerGroup: `${STOPS_GROUP}:${botId}`, eventId: event.id }, async (manager) => {
      const stored = await this.accounts.lock(botId, manager);
      await this.booker.bookPaperFills(manager, stored, paper, point.symbol, batch, relevant);
      const open = await this.positions.findOpen({ userId: account.userId, botId, exchange: point.exchange, symbol: point.symbol }, manager);
      if (open) {
        const check = checkStops(open, point.move);
        const mark = point.move.last;
        const qty = dec(open.size);
        const entry = dec(open.avgEntryPrice);
        const upnl = open.side === 'long' ? dec(mark).minus(entry).times(qty) : entry.minus(mark).times(qty);
        this.marks.forget(open.id);
        await this.positions.update(
          open.id,
          { highestPrice: check.highestPrice, lowestPrice: check.lowestPrice, currentPrice: mark, unrealizedPnl: toMoney(upnl) },
          manager,
        );
        const exitWorking = (await this.orders.findActiveByBot(botId, point.symbol)).length > 0;
        if (check.trigger && !exitWorking) {
          const draft = {
            clientOrderId: v7(),
            signalId: null,
            botId,
            userId: account.userId,
            exchange: point.exchange,
            symbol: point.symbol,
            mode: 'paper' as const,
            source: SOURCE_OF[check.trigger],
            purpose: check.trigger === 'take_profit' ? ('take_profit' as const) : ('stop_loss' as const),
            side: open.side === 'long' ? ('sell' as const) : ('buy' as const),
            type: 'market' as const,
            quantity: open.size,
            price: null,
            metadata: { trigger: check.trigger, level: check.level, positionId: open.id },
          };
          const placed = await paper.createOrder({ symbol: point.symbol, type: 'market', side: draft.side, amount: draft.quantity, clientOrderId: draft.clientOrderId, referencePrice: mark });
          await this.recorder.placed(manager, draft, placed, batch);
        }
      }
      await this.accounts.update(botId, { paperSnapshot: await paperSnapshotToStore(paper, () => this.orders.activeClientOrderIds(botId, manager)) }, manager);
      await batch.flush(this.ctx.outbox, manager);
    });
  }

  /**
   * A live bot: its working orders are looked up on the exchange (at most every LIVE_ORDER_SYNC_MS) and their fills
   * booked; the trailing marks move with the market; a crossed stop loss, take profit or trailing stop places a live
   * market exit through the same path as every live order (pending first, sent once, booked from the exchange).
   */
  private async processLiveBot(account: BotAccountEntity, event: MarketEvent, point: MarketPoint): Promise<void> {
    const botId = account.botId;
    const cause = { correlationId: event.correlationId, causationId: event.id };
    const working = (await this.orders.findActiveByBot(botId, point.symbol)).filter((o) => o.mode === 'live');
    if (working.length) await this.live.sync(working, cause, { minIntervalMs: this.ctx.config.LIVE_ORDER_SYNC_MS });
    const key = { userId: account.userId, botId, exchange: point.exchange, symbol: point.symbol };
    const marked = await runIdempotent(this.ctx.dataSource, { schema: 'trading', consumerGroup: `${STOPS_GROUP}:${botId}`, eventId: event.id }, async (manager): Promise<TriggeredExit | null> => {
      const open = await this.positions.findOpen(key, manager);
      if (!open) return null;
      const check = checkStops(open, point.move);
      const mark = point.move.last;
      const qty = dec(open.size);
      const entry = dec(open.avgEntryPrice);
      const upnl = open.side === 'long' ? dec(mark).minus(entry).times(qty) : entry.minus(mark).times(qty);
      this.marks.forget(open.id);
      await this.positions.update(open.id, { highestPrice: check.highestPrice, lowestPrice: check.lowestPrice, currentPrice: mark, unrealizedPnl: toMoney(upnl) }, manager);
      return check.trigger ? { position: open, trigger: check.trigger, level: check.level } : null;
    });
    let triggered = marked.duplicate ? null : marked.result;
    if (marked.duplicate) {
      // seen before (a redelivery after a crash): the marks moved then, but the exit may not have been sent
      const open = await this.positions.findOpen(key);
      const check = open ? checkStops(open, point.move) : null;
      if (open && check?.trigger) triggered = { position: open, trigger: check.trigger, level: check.level };
    }
    if (!triggered) return;
    if ((await this.orders.findActiveByBot(botId, point.symbol)).length > 0) return; // an exit is already working
    try {
      await this.live.closePosition(
        triggered.position,
        {
          source: SOURCE_OF[triggered.trigger],
          purpose: triggered.trigger === 'take_profit' ? 'take_profit' : 'stop_loss',
          metadata: { trigger: triggered.trigger, level: triggered.level },
          referencePrice: point.move.last,
        },
        cause,
      );
    } catch (error) {
      if (!(error instanceof LiveKeyUnavailableError || error instanceof ExchangeError)) throw error;
      // the next price that still crosses the level tries again
      this.logger.error({ msg: 'live stop exit not placed', botId, positionId: triggered.position.id, trigger: triggered.trigger, detail: error.message });
    }
  }
}
