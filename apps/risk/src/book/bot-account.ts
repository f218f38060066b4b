import Decimal from 'decimal.js';

/** A bot's open position as risk knows it from PositionChanged and marks. Signed quantity: long > 0, short < 0. */
export interface HeldPosition {
  readonly exchange: string;
  readonly symbol: string;
  readonly quantity: Decimal;
  readonly avgEntryPrice: Decimal | null;
  readonly markPrice: Decimal | null;
  readonly unrealizedPnl: Decimal;
  readonly changedAt: Date;
}

/**
 * Risk's read model of one bot: capital, realized P&L, the equity peak, the current UTC day and ISO week
 * (their starting equity and the day's trade count), the last losing close (cooldown) and the open positions.
 */
export interface BotAccount {
  readonly botId: string;
  readonly userId: string;
  readonly startingEquity: Decimal;
  readonly realizedPnl: Decimal;
  readonly peakEquity: Decimal;
  /** YYYY-MM-DD (UTC) of dayStartEquity and dayTrades. */
  readonly day: string;
  readonly dayStartEquity: Decimal;
  readonly dayTrades: number;
  /** The day's closing fills that won / lost, their P&L sums and extremes (for risk_metrics). */
  readonly dayStats: DayStats;
  /** Monday (YYYY-MM-DD, UTC) of the week of weekStartEquity. */
  readonly weekStart: string;
  readonly weekStartEquity: Decimal;
  readonly lastLossAt: Date | null;
  readonly positions: ReadonlyMap<string, HeldPosition>;
  readonly applied: AppliedEntries;
}

/** The stream entries an account already holds, so a replay after a restart or a re-published event is not counted twice. */
export interface AppliedEntries {
  /** The last events:trades entry applied to the account. */
  readonly tradesEntryId: string | null;
  /** The events:strategy_signals entry that set `startingEquity` (the bot's capital); null while it is the default. */
  readonly capitalEntryId: string | null;
  /** Ids of the last TradeExecuted events applied, newest last (a re-published event has a new entry id, not a new id). */
  readonly tradeEventIds: readonly string[];
}

export const NOTHING_APPLIED: AppliedEntries = { tradesEntryId: null, capitalEntryId: null, tradeEventIds: [] };

/** How many TradeExecuted ids an account remembers: far more than an outbox ever re-publishes of one bot. */
export const REMEMBERED_TRADE_EVENTS = 64;

export interface DayStats {
  readonly wins: number;
  readonly losses: number;
  readonly grossProfit: Decimal;
  readonly grossLoss: Decimal;
  readonly largestWin: Decimal;
  readonly largestLoss: Decimal;
}

export const EMPTY_DAY: DayStats = {
  wins: 0,
  losses: 0,
  grossProfit: new Decimal(0),
  grossLoss: new Decimal(0),
  largestWin: new Decimal(0),
  largestLoss: new Decimal(0),
};

function withOutcome(stats: DayStats, pnl: Decimal): DayStats {
  if (pnl.gt(0)) return { ...stats, wins: stats.wins + 1, grossProfit: stats.grossProfit.plus(pnl), largestWin: Decimal.max(stats.largestWin, pnl) };
  if (pnl.lt(0)) return { ...stats, losses: stats.losses + 1, grossLoss: stats.grossLoss.plus(pnl), largestLoss: Decimal.min(stats.largestLoss, pnl) };
  return stats;
}

export const positionKey = (exchange: string, symbol: string): string => `${exchange}|${symbol}`;

export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The Monday (UTC) of the ISO week holding `at`. */
export function utcWeekStart(at: Date): string {
  const day = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const sinceMonday = (day.getUTCDay() + 6) % 7;
  day.setUTCDate(day.getUTCDate() - sinceMonday);
  return utcDay(day);
}

export function unrealizedOf(position: HeldPosition): Decimal {
  return position.unrealizedPnl;
}

export function equityOf(account: BotAccount): Decimal {
  let equity = account.startingEquity.plus(account.realizedPnl);
  for (const p of account.positions.values()) equity = equity.plus(p.unrealizedPnl);
  return equity;
}

export function newAccount(botId: string, userId: string, startingEquity: Decimal, at: Date): BotAccount {
  return {
    botId,
    userId,
    startingEquity,
    realizedPnl: new Decimal(0),
    peakEquity: startingEquity,
    day: utcDay(at),
    dayStartEquity: startingEquity,
    dayTrades: 0,
    dayStats: EMPTY_DAY,
    weekStart: utcWeekStart(at),
    weekStartEquity: startingEquity,
    lastLossAt: null,
    positions: new Map(),
    applied: NOTHING_APPLIED,
  };
}

/**
 * The bot's capital became known or changed: equity and every reference point (peak, day and week start) move with
 * it, so a change of capital is neither a profit nor a loss. Exact, so applying capitals in any order ends the same.
 */
export function withCapital(account: BotAccount, capital: Decimal, entryId: string | null): BotAccount {
  const delta = capital.minus(account.startingEquity);
  return {
    ...account,
    startingEquity: capital,
    peakEquity: account.peakEquity.plus(delta),
    dayStartEquity: account.dayStartEquity.plus(delta),
    weekStartEquity: account.weekStartEquity.plus(delta),
    applied: { ...account.applied, capitalEntryId: entryId },
  };
}

/** Starts a new day/week when `at` is past the account's; the period starts from the equity at that moment. */
export function rollPeriods(account: BotAccount, at: Date): BotAccount {
  const day = utcDay(at);
  const weekStart = utcWeekStart(at);
  if (day <= account.day && weekStart <= account.weekStart) return account;
  const equity = equityOf(account);
  return {
    ...account,
    ...(day > account.day ? { day, dayStartEquity: equity, dayTrades: 0, dayStats: EMPTY_DAY } : {}),
    ...(weekStart > account.weekStart ? { weekStart, weekStartEquity: equity } : {}),
  };
}

function withPeak(account: BotAccount): BotAccount {
  const equity = equityOf(account);
  return equity.gt(account.peakEquity) ? { ...account, peakEquity: equity } : account;
}

export interface TradeFact {
  readonly realizedPnl: Decimal;
  readonly executedAt: Date;
}

/** A fill: its realized P&L (net of fees) moves equity, it counts toward the day's trades, a loss starts the cooldown. */
export function applyTrade(account: BotAccount, trade: TradeFact): BotAccount {
  const rolled = rollPeriods(account, trade.executedAt);
  const today = utcDay(trade.executedAt) === rolled.day;
  const counted = today ? rolled.dayTrades + 1 : rolled.dayTrades;
  const dayStats = today ? withOutcome(rolled.dayStats, trade.realizedPnl) : rolled.dayStats;
  const lastLossAt =
    trade.realizedPnl.lt(0) && (!rolled.lastLossAt || trade.executedAt > rolled.lastLossAt)
      ? trade.executedAt
      : rolled.lastLossAt;
  return withPeak({ ...rolled, realizedPnl: rolled.realizedPnl.plus(trade.realizedPnl), dayTrades: counted, dayStats, lastLossAt });
}

export interface PositionFact {
  readonly exchange: string;
  readonly symbol: string;
  readonly side: 'long' | 'short' | 'flat';
  readonly quantity: Decimal;
  readonly avgEntryPrice: Decimal | null;
  readonly markPrice: Decimal | null;
  readonly unrealizedPnl: Decimal;
  readonly changedAt: Date;
}

/** The engine's view of the position replaces ours, unless ours is newer (events may arrive out of order). */
export function applyPosition(account: BotAccount, fact: PositionFact): BotAccount {
  const key = positionKey(fact.exchange, fact.symbol);
  const current = account.positions.get(key);
  if (current && current.changedAt > fact.changedAt) return account;
  const rolled = rollPeriods(account, fact.changedAt);
  const positions = new Map(rolled.positions);
  if (fact.side === 'flat' || fact.quantity.isZero()) positions.delete(key);
  else
    positions.set(key, {
      exchange: fact.exchange,
      symbol: fact.symbol,
      quantity: fact.side === 'short' ? fact.quantity.negated() : fact.quantity,
      avgEntryPrice: fact.avgEntryPrice,
      markPrice: fact.markPrice ?? current?.markPrice ?? null,
      unrealizedPnl: fact.unrealizedPnl,
      changedAt: fact.changedAt,
    });
  return withPeak({ ...rolled, positions });
}

/** A new market price for a symbol re-marks the position held on it: unrealized = (mark - entry) x signed quantity. */
export function applyMark(account: BotAccount, exchange: string, symbol: string, mark: Decimal, at: Date): BotAccount {
  const key = positionKey(exchange, symbol);
  const position = account.positions.get(key);
  if (!position || !position.avgEntryPrice) return account;
  const rolled = rollPeriods(account, at);
  const positions = new Map(rolled.positions);
  positions.set(key, { ...position, markPrice: mark, unrealizedPnl: mark.minus(position.avgEntryPrice).times(position.quantity) });
  return withPeak({ ...rolled, positions });
}
