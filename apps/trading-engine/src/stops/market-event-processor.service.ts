import { Injectable } from '@nestjs/common';
import { MarketCandleClosed, MarketTickerUpdated } from '@trading/contracts';
import type { PaperExchangeSnapshot } from '@trading/exchange';
import { runIdempotent } from '@trading/streams';
import { v7 } from 'uuid';
import { dec, toMoney } from '../accounting/exact-decimal';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { FillBooker } from '../booking/fill-booker';
import { OutboxBatch } from '../booking/outbox-batch';
import { EngineContext } from '../execution/engine-context';
import { OrderRecorder } from '../execution/order-recorder';
import { openPaperAccount } from '../execution/paper-venue';
import { ACTIVE_ORDER_STATUSES, OrderSource } from '../orders/order.entity';
import { OrderRepository } from '../orders/order.repository';
import { PositionRepository } from '../positions/position.repository';
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

const SOURCE_OF: Record<StopTrigger, OrderSource> = { stop_loss: 'stop_loss', take_profit: 'take_profit', trailing_stop: 'trailing_stop' };

/**
 * Every ticker/candle: feed the paper accounts that have working orders or open positions on the symbol (market
 * orders fill at this next price), book the fills, move the trailing high/low-water marks (stored on the position,
 * so they survive a restart) and place the exit when a stop loss, take profit or trailing stop is crossed.
 */
@Injectable()
export class MarketEventProcessor {
  constructor(
    private readonly ctx: EngineContext,
    private readonly accounts: BotAccountRepository,
    private readonly orders: OrderRepository,
    private readonly positions: PositionRepository,
    private readonly recorder: OrderRecorder,
    private readonly booker: FillBooker,
  ) {}

  async handle(event: MarketEvent): Promise<void> {
    const point = pointOf(event);
    const rows: { bot_id: string }[] = await this.ctx.dataSource.query(
      `SELECT DISTINCT bot_id FROM (
         SELECT bot_id FROM trading.orders WHERE exchange = $1 AND symbol = $2 AND mode = 'paper' AND status IN ('pending', 'submitted', 'partially_filled') AND bot_id IS NOT NULL
         UNION SELECT bot_id FROM trading.positions WHERE exchange = $1 AND symbol = $2 AND mode = 'paper' AND status = 'open' AND bot_id IS NOT NULL
       ) b ORDER BY bot_id`,
      [point.exchange, point.symbol],
    );
    for (const { bot_id: botId } of rows) {
      await this.ctx.lock.withLock(botId, () => this.processBot(botId, event, point));
    }
  }

  private async processBot(botId: string, event: MarketEvent, point: MarketPoint): Promise<void> {
    const account = await this.accounts.find(botId);
    if (!account || account.mode !== 'paper') return;
    const clock = (account.paperSnapshot as PaperExchangeSnapshot | null)?.clock ?? 0;
    if (point.time < clock) return; // older than what this account has seen: no fills, no stops
    const paper = openPaperAccount(account, [point.symbol], this.ctx.paper);
    if (event.type === MarketCandleClosed.TYPE) {
      const c = event.payload;
      paper.onCandle(c.symbol, { timestamp: point.time, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume }, c.timeframe);
    } else {
      const t = event.payload;
      paper.onTicker({ symbol: t.symbol, timestamp: point.time, last: t.last, bid: t.bid, ask: t.ask });
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
      await this.accounts.update(botId, { paperSnapshot: paper.toJSON() as unknown as Record<string, unknown> }, manager);
      await batch.flush(this.ctx.outbox, manager);
    });
  }
}
