import Decimal from 'decimal.js';
import { applyMark, applyPosition, applyTrade, equityOf, newAccount, utcWeekStart, withCapital } from './bot-account';
import { limitCrossings } from './breach-monitor';
import { dailyLossPct, drawdownPct, measure } from './measures';
import { RiskBook } from './risk-book';

const BOT = '0193a000-0000-7000-8000-000000000001';
const USER = '0193a000-0000-7000-8000-0000000000aa';
const d = (v: string | number) => new Decimal(v);

describe('bot account', () => {
  it('weeks start on Monday (UTC)', () => {
    expect(utcWeekStart(new Date('2026-11-22T23:59:59Z'))).toBe('2026-11-16'); // a Sunday
    expect(utcWeekStart(new Date('2026-11-23T00:00:00Z'))).toBe('2026-11-23'); // a Monday
  });

  it('starts a new day from the equity at its first event, keeping the week and the peak', () => {
    let a = newAccount(BOT, USER, d(1000), new Date('2026-11-17T08:00:00Z'));
    a = applyTrade(a, { realizedPnl: d(100), executedAt: new Date('2026-11-17T09:00:00Z') });
    a = applyTrade(a, { realizedPnl: d(-300), executedAt: new Date('2026-11-18T09:00:00Z') });
    expect(a).toMatchObject({ day: '2026-11-18', dayTrades: 1, weekStart: '2026-11-16' });
    expect([a.dayStartEquity, a.weekStartEquity, a.peakEquity, equityOf(a)].map((x) => x.toFixed())).toEqual(['1100', '1000', '1100', '800']);
    const m = measure([a], new Date('2026-11-18T10:00:00Z'));
    // Day: lost 300 of 1 100 = 27.27...%; drawdown from the 1 100 peak is the same.
    expect(dailyLossPct(m).toDecimalPlaces(4).toFixed()).toBe('27.2727');
    expect(drawdownPct(m).toDecimalPlaces(4).toFixed()).toBe('27.2727');
    // The next day, measured before any event: the day restarts at 800, no loss yet.
    expect(dailyLossPct(measure([a], new Date('2026-11-19T00:00:01Z'))).toFixed()).toBe('0');
  });

  it('marks a short position: price up is a loss', () => {
    let a = newAccount(BOT, USER, d(1000), new Date('2026-11-17T08:00:00Z'));
    const at = new Date('2026-11-17T09:00:00Z');
    a = applyPosition(a, { exchange: 'paper', symbol: 'BTC/USDT', side: 'short', quantity: d('0.5'), avgEntryPrice: d(100), markPrice: d(100), unrealizedPnl: d(0), changedAt: at });
    a = applyMark(a, 'paper', 'BTC/USDT', d(110), new Date('2026-11-17T09:01:00Z'));
    expect(equityOf(a).toFixed()).toBe('995');
    a = applyPosition(a, { exchange: 'paper', symbol: 'BTC/USDT', side: 'flat', quantity: d(0), avgEntryPrice: null, markPrice: d(110), unrealizedPnl: d(0), changedAt: new Date('2026-11-17T09:02:00Z') });
    expect(a.positions.size).toBe(0);
  });

  it('moves equity and every reference point with a new capital, so the change is neither profit nor loss', () => {
    // Capital 2 000 (default 10 000 until the bot event came), +300 then -200 the same day: peak 2 300, equity 2 100.
    let a = newAccount(BOT, USER, d(10_000), new Date('2026-11-17T08:00:00Z'));
    a = withCapital(a, d(2000), '1-0');
    a = applyTrade(a, { realizedPnl: d(300), executedAt: new Date('2026-11-17T09:00:00Z') });
    a = applyTrade(a, { realizedPnl: d(-200), executedAt: new Date('2026-11-17T10:00:00Z') });
    const at = new Date('2026-11-17T11:00:00Z');
    // Drawdown 200 / 2 300 = 8.6956...%; the day is up 100 on 2 000 (no loss: -5 %).
    expect(drawdownPct(measure([a], at)).toDecimalPlaces(4).toFixed()).toBe('8.6957');
    expect(dailyLossPct(measure([a], at)).toFixed()).toBe('-5');
    // Capital raised to 4 000: equity 4 100, peak 4 300, day start 4 000; drawdown 200 / 4 300 = 4.6511...%.
    const raised = withCapital(a, d(4000), '2-0');
    expect([equityOf(raised), raised.peakEquity, raised.dayStartEquity, raised.weekStartEquity].map((x) => x.toFixed())).toEqual(['4100', '4300', '4000', '4000']);
    expect(drawdownPct(measure([raised], at)).toDecimalPlaces(4).toFixed()).toBe('4.6512');
    expect(raised.applied.capitalEntryId).toBe('2-0');
    // Exact: back to 2 000 gives the account it came from.
    const back = withCapital(raised, d(2000), '3-0');
    expect([equityOf(back), back.peakEquity, back.dayStartEquity].map((x) => x.toFixed())).toEqual(['2100', '2300', '2000']);
  });

  it('ignores a position event older than the one it holds', () => {
    let a = newAccount(BOT, USER, d(1000), new Date('2026-11-17T08:00:00Z'));
    a = applyPosition(a, { exchange: 'paper', symbol: 'BTC/USDT', side: 'long', quantity: d(2), avgEntryPrice: d(100), markPrice: null, unrealizedPnl: d(0), changedAt: new Date('2026-11-17T10:00:00Z') });
    a = applyPosition(a, { exchange: 'paper', symbol: 'BTC/USDT', side: 'long', quantity: d(1), avgEntryPrice: d(100), markPrice: null, unrealizedPnl: d(0), changedAt: new Date('2026-11-17T09:00:00Z') });
    expect(a.positions.get('paper|BTC/USDT')!.quantity.toFixed()).toBe('2');
  });
});

describe('limit crossings', () => {
  it('warns at the highest warning level reached and breaches at the limit, for the bot and its user', () => {
    const book = new RiskBook(d(1000));
    let a = newAccount(BOT, USER, d(1000), new Date('2026-11-17T08:00:00Z'));
    book.putLimit({ id: 'l1', scope: 'bot', scopeId: BOT, limitType: 'max_daily_loss_pct', value: d(10), action: 'halt', warnAtPcts: [80, 95] });
    book.putLimit({ id: 'l2', scope: 'user', scopeId: USER, limitType: 'max_drawdown_pct', value: d(9), action: 'reduce', warnAtPcts: [50] });
    const now = new Date('2026-11-17T12:00:00Z');
    a = applyTrade(a, { realizedPnl: d(-96), executedAt: new Date('2026-11-17T09:00:00Z') });
    book.putAccount(a);
    // Lost 9.6 %: 96 % of the 10 % limit (warning at 95); drawdown 9.6 % >= 9 %: the user limit is breached.
    expect(limitCrossings(book, BOT, now).map((c) => [c.rule.id, c.subject.scope, c.severity, c.thresholdPct])).toEqual([
      ['l1', 'bot', 'warning', 95],
      ['l2', 'user', 'breach', 100],
    ]);
    book.putAccount(applyTrade(a, { realizedPnl: d(-4), executedAt: new Date('2026-11-17T10:00:00Z') }));
    expect(limitCrossings(book, BOT, now).map((c) => [c.rule.id, c.severity, c.current.toFixed()])).toEqual([
      ['l1', 'breach', '10'],
      ['l2', 'breach', '10'],
    ]);
  });
});
