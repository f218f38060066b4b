import { BotStatusChanged, MarketCandleClosed, PositionChanged, StreamEventMap, Streams, TradeExecuted } from '@trading/contracts';
import Decimal from 'decimal.js';
import { BotAccount, REMEMBERED_TRADE_EVENTS, applyMark, applyPosition, applyTrade, newAccount, positionKey, withCapital } from '../book/bot-account';
import { RiskBook } from '../book/risk-book';
import { isAfter } from './stream-entry-id';

export const FEED_STREAMS = [Streams.Trades, Streams.StrategySignals, Streams.MarketData] as const;
export type FeedStream = (typeof FEED_STREAMS)[number];
export type FeedEvent = StreamEventMap[FeedStream];

/** What the feed changes: the book and the latest mark per exchange|symbol. */
export interface BookState {
  readonly book: RiskBook;
  readonly marks: Map<string, Decimal>;
}

/**
 * Applies one stream entry to the in-memory book. Every instance applies every entry of the three streams, in stream
 * order, so every instance's book is the same; entries an account already holds (see AppliedEntries) change nothing.
 */
export function projectEntry(state: BookState, stream: FeedStream, entryId: string, event: FeedEvent): void {
  if (stream === Streams.Trades) projectTrades(state, entryId, event as StreamEventMap[typeof Streams.Trades]);
  else if (stream === Streams.MarketData) projectMark(state, event as StreamEventMap[typeof Streams.MarketData]);
  else projectBotEvent(state, entryId, event as StreamEventMap[typeof Streams.StrategySignals]);
}

function projectTrades(state: BookState, entryId: string, event: TradeExecuted.Event | PositionChanged.Event): void {
  const p = event.payload;
  if (!p.botId) return; // a manual trade belongs to no bot account
  const at = new Date(event.type === TradeExecuted.TYPE ? event.payload.executedAt : event.payload.changedAt);
  const current = state.book.accountOrNew(p.botId, p.userId, at);
  if (!isAfter(entryId, current.applied.tradesEntryId)) return;
  let next: BotAccount;
  if (event.type === TradeExecuted.TYPE) {
    if (current.applied.tradeEventIds.includes(event.id)) return;
    next = applyTrade(current, { realizedPnl: new Decimal(event.payload.realizedPnl), executedAt: at });
    const tradeEventIds = [...current.applied.tradeEventIds, event.id].slice(-REMEMBERED_TRADE_EVENTS);
    next = { ...next, applied: { ...next.applied, tradesEntryId: entryId, tradeEventIds } };
  } else {
    const q = event.payload;
    next = applyPosition(current, {
      exchange: q.exchange,
      symbol: q.symbol,
      side: q.side,
      quantity: new Decimal(q.quantity),
      avgEntryPrice: q.avgEntryPrice === null ? null : new Decimal(q.avgEntryPrice),
      markPrice: q.markPrice === null ? null : new Decimal(q.markPrice),
      unrealizedPnl: new Decimal(q.unrealizedPnl),
      changedAt: at,
    });
    next = { ...next, applied: { ...next.applied, tradesEntryId: entryId } };
    if (q.markPrice) state.marks.set(positionKey(q.exchange, q.symbol), new Decimal(q.markPrice));
  }
  state.book.putAccount(next);
}

/** A candle close or ticker re-marks every position held on the symbol. */
function projectMark(state: BookState, event: StreamEventMap[typeof Streams.MarketData]): void {
  const { exchange, symbol } = event.payload;
  const [price, at] =
    event.type === MarketCandleClosed.TYPE ? [event.payload.close, event.payload.closeTime] : [event.payload.last, event.payload.time];
  const mark = new Decimal(price);
  const key = positionKey(exchange, symbol);
  state.marks.set(key, mark);
  const when = new Date(at);
  for (const account of [...state.book.allAccounts()]) {
    if (account.positions.has(key)) state.book.putAccount(applyMark(account, exchange, symbol, mark, when));
  }
}

/** Signals and status changes name the bot's owner; status changes also carry its capital. */
function projectBotEvent(state: BookState, entryId: string, event: StreamEventMap[typeof Streams.StrategySignals]): void {
  const { botId, userId } = event.payload;
  const book = state.book;
  book.rememberOwner(botId, userId);
  const known = book.account(botId);
  const capital = event.type === BotStatusChanged.TYPE && event.payload.initialCapital ? new Decimal(event.payload.initialCapital) : null;
  const at = new Date(event.type === BotStatusChanged.TYPE ? event.payload.changedAt : event.occurredAt);
  let account = known ?? newAccount(botId, userId, capital ?? book.defaultStartingEquity, at);
  if (capital && isAfter(entryId, account.applied.capitalEntryId)) account = withCapital(account, capital, entryId);
  if (account !== known) book.putAccount(account);
}
