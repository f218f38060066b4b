import Decimal from 'decimal.js';
import { BotAccount, HeldPosition, equityOf, rollPeriods } from './bot-account';

/** What the limits are measured on: one bot, or the sum of a user's bots. */
export interface Measures {
  readonly equity: Decimal;
  readonly dayStartEquity: Decimal;
  readonly weekStartEquity: Decimal;
  readonly peakEquity: Decimal;
  readonly dayTrades: number;
  readonly lastLossAt: Date | null;
  readonly positions: readonly HeldPosition[];
}

const ZERO = new Decimal(0);
const HUNDRED = new Decimal(100);

/** Measures of accounts at `now`: a day or week that ended since their last event starts afresh. */
export function measure(accounts: readonly BotAccount[], now: Date): Measures {
  let equity = ZERO;
  let dayStartEquity = ZERO;
  let weekStartEquity = ZERO;
  let peakEquity = ZERO;
  let dayTrades = 0;
  let lastLossAt: Date | null = null;
  const positions: HeldPosition[] = [];
  for (const raw of accounts) {
    const a = rollPeriods(raw, now);
    equity = equity.plus(equityOf(a));
    dayStartEquity = dayStartEquity.plus(a.dayStartEquity);
    weekStartEquity = weekStartEquity.plus(a.weekStartEquity);
    peakEquity = peakEquity.plus(a.peakEquity);
    dayTrades += a.dayTrades;
    if (a.lastLossAt && (!lastLossAt || a.lastLossAt > lastLossAt)) lastLossAt = a.lastLossAt;
    positions.push(...a.positions.values());
  }
  return { equity, dayStartEquity, weekStartEquity, peakEquity, dayTrades, lastLossAt, positions };
}

/** Loss since the start of the period, in percent of the equity at that start; negative when in profit. */
export function lossPct(start: Decimal, equity: Decimal): Decimal {
  if (!start.gt(0)) return ZERO;
  return start.minus(equity).div(start).times(HUNDRED);
}

/** Drop from the equity peak, in percent of the peak. */
export function drawdownPct(m: Measures): Decimal {
  if (!m.peakEquity.gt(0)) return ZERO;
  return Decimal.max(ZERO, m.peakEquity.minus(m.equity).div(m.peakEquity).times(HUNDRED));
}

export function dailyLossPct(m: Measures): Decimal {
  return lossPct(m.dayStartEquity, m.equity);
}

export function weeklyLossPct(m: Measures): Decimal {
  return lossPct(m.weekStartEquity, m.equity);
}

export function dailyProfitPct(m: Measures): Decimal {
  return lossPct(m.dayStartEquity, m.equity).negated();
}

/** Position value in the quote currency, at the mark (else the entry price). */
export function positionValue(p: HeldPosition): Decimal {
  const price = p.markPrice ?? p.avgEntryPrice ?? ZERO;
  return p.quantity.abs().times(price);
}
