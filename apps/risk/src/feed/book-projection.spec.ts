import { BotStatusChanged, MarketTickerUpdated, PositionChanged, SignalEmitted, Streams, TradeExecuted, createEvent } from '@trading/contracts';
import Decimal from 'decimal.js';
import { equityOf } from '../book/bot-account';
import { RiskBook } from '../book/risk-book';
import { BookState, projectEntry } from './book-projection';

const BOT = '0193a000-0000-7000-8000-000000000001';
const USER = '0193a000-0000-7000-8000-0000000000aa';
const AT = '2026-11-17T09:00:00.000Z';

const trade = (realizedPnl: string) =>
  createEvent(
    TradeExecuted.TYPE,
    { tradeId: '0193a000-0000-7000-8000-0000000000b1', orderId: '0193a000-0000-7000-8000-0000000000c1', botId: BOT, userId: USER, exchange: 'paper', symbol: 'BTC/USDT', side: 'sell', mode: 'paper', price: '100', quantity: '1', fee: '0', feeCurrency: 'USDT', realizedPnl, executedAt: AT },
    { source: 'trading-engine' },
  );
const position = (quantity: string, changedAt: string) =>
  createEvent(
    PositionChanged.TYPE,
    { botId: BOT, userId: USER, exchange: 'paper', symbol: 'BTC/USDT', mode: 'paper', side: 'long', quantity, avgEntryPrice: '100', realizedPnl: '0', unrealizedPnl: '0', markPrice: '100', tradeId: null, changedAt },
    { source: 'trading-engine' },
  );
const status = (initialCapital?: string) =>
  createEvent(
    BotStatusChanged.TYPE,
    { botId: BOT, userId: USER, previousStatus: null, status: 'created', mode: 'paper', changedBy: 'user', reason: null, changedAt: AT, ...(initialCapital ? { initialCapital } : {}) },
    { source: 'strategy' },
  );

describe('book projection (what every instance applies from every stream entry)', () => {
  let state: BookState;
  const account = () => state.book.account(BOT)!;

  beforeEach(() => {
    state = { book: new RiskBook(new Decimal(10_000)), marks: new Map() };
  });

  it('counts each trade once: a replayed entry and a re-published event (new entry, same event id) change nothing', () => {
    const first = trade('-50');
    projectEntry(state, Streams.Trades, '100-0', first);
    projectEntry(state, Streams.Trades, '100-0', first); // read again after a restart
    projectEntry(state, Streams.Trades, '101-0', first); // re-published by the engine's outbox
    projectEntry(state, Streams.Trades, '102-0', trade('-25'));
    // Default capital 10 000 - 50 - 25.
    expect(equityOf(account()).toFixed()).toBe('9925');
    expect(account().dayTrades).toBe(2);
    expect(account().applied.tradesEntryId).toBe('102-0');
    expect(account().applied.tradeEventIds).toHaveLength(2);
  });

  it('skips entries older than the last one an account holds (its saved snapshot), whatever their content', () => {
    projectEntry(state, Streams.Trades, '200-0', position('2', AT));
    projectEntry(state, Streams.Trades, '150-0', position('5', '2026-11-17T10:00:00.000Z'));
    expect(account().positions.get('paper|BTC/USDT')!.quantity.toFixed()).toBe('2');
  });

  it('takes the capital from the bot event, and a later capital as a shift of every reference point', () => {
    projectEntry(state, Streams.StrategySignals, '10-0', status('2000'));
    expect(account().startingEquity.toFixed()).toBe('2000');
    projectEntry(state, Streams.Trades, '11-0', trade('-100'));
    // A loss of 100 on 2 000 is 5 % of the day (it would be 1 % on the default 10 000).
    expect([equityOf(account()), account().dayStartEquity].map((x) => x.toFixed())).toEqual(['1900', '2000']);
    projectEntry(state, Streams.StrategySignals, '12-0', status('4000'));
    expect([equityOf(account()), account().dayStartEquity, account().peakEquity].map((x) => x.toFixed())).toEqual(['3900', '4000', '4000']);
    // The older capital read again (a replay) does not undo the newer one.
    projectEntry(state, Streams.StrategySignals, '10-0', status('2000'));
    expect(account().startingEquity.toFixed()).toBe('4000');
  });

  it('learns the owner from a signal (default capital) and from a status change without a capital', () => {
    const signal = createEvent(
      SignalEmitted.TYPE,
      { signalId: 'sig-0193a000-01', botId: BOT, userId: USER, strategy: 'sma_cross', exchange: 'paper', symbol: 'BTC/USDT', timeframe: '1m', candleTime: AT, target: 'long', price: '100', reason: 'cross', indicators: {} },
      { source: 'strategy' },
    );
    projectEntry(state, Streams.StrategySignals, '1-0', signal);
    expect(state.book.ownerOf(BOT)).toBe(USER);
    expect(account().startingEquity.toFixed()).toBe('10000');
    projectEntry(state, Streams.StrategySignals, '2-0', status());
    expect(account().startingEquity.toFixed()).toBe('10000');
  });

  it('re-marks the positions held on a symbol and records the mark', () => {
    projectEntry(state, Streams.Trades, '1-0', position('2', AT));
    const ticker = createEvent(MarketTickerUpdated.TYPE, { exchange: 'paper', symbol: 'BTC/USDT', last: '110', bid: '109.9', ask: '110.1', baseVolume: '1', time: '2026-11-17T09:01:00.000Z' }, { source: 'market-data' });
    projectEntry(state, Streams.MarketData, '5-0', ticker);
    // 2 x (110 - 100) unrealized.
    expect(equityOf(account()).toFixed()).toBe('10020');
    expect(state.marks.get('paper|BTC/USDT')?.toFixed()).toBe('110');
  });
});
