import Decimal from 'decimal.js';
import { dec, ExactDecimal, MONEY_DP } from './exact-decimal';

export type FillSide = 'buy' | 'sell';

/**
 * A bot's position and cash in one symbol, exact. `qty` is signed (long > 0, short < 0); `entryCost` is the
 * cost basis of |qty| (sum of quantity x price of the open part, without fees), so avgEntry = entryCost / |qty|.
 * `realizedGross` is price P&L of closed quantity; `fees` every fee paid; net realized = realizedGross - fees.
 * `entryFees` are the fees paid for the open part: a close realises its share of them, so the trades of a
 * round trip realise, in total, its P&L net of both legs' fees (as a backtest reports a trade).
 */
export interface LedgerState {
  readonly qty: ExactDecimal;
  readonly entryCost: ExactDecimal;
  readonly cash: ExactDecimal;
  readonly realizedGross: ExactDecimal;
  readonly fees: ExactDecimal;
  readonly entryFees: ExactDecimal;
}

export interface LedgerFill {
  readonly side: FillSide;
  readonly qty: Decimal.Value;
  readonly price: Decimal.Value;
  /** In the quote currency. */
  readonly fee: Decimal.Value;
}

export interface FillOutcome {
  readonly state: LedgerState;
  /** Quantity of the fill that reduced the previous position. */
  readonly closedQty: ExactDecimal;
  /** Price P&L of that quantity. */
  readonly realizedGross: ExactDecimal;
  /** What the trade realised net of fees (its own closing share and the closed part's entry fees); 0 when it only opened or grew a position. */
  readonly tradeRealizedPnl: ExactDecimal;
}

export class LedgerRefusal extends Error {
  constructor(
    readonly code: 'short_not_allowed' | 'insufficient_funds' | 'invalid_fill',
    message: string,
  ) {
    super(message);
    this.name = 'LedgerRefusal';
  }
}

export function openLedger(cash: Decimal.Value): LedgerState {
  const zero = dec(0);
  return { qty: zero, entryCost: zero, cash: dec(cash), realizedGross: zero, fees: zero, entryFees: zero };
}

export function averageEntry(state: LedgerState): ExactDecimal | null {
  return state.qty.isZero() ? null : state.entryCost.div(state.qty.abs());
}

/**
 * Books one fill. A spot account (allowShort false) may neither sell more than it holds nor spend more cash
 * than it has: such a fill is refused, so a spot balance never goes negative. A fill that crosses zero closes
 * the position and opens the opposite one with the rest, at the fill price.
 */
export function applyFill(state: LedgerState, fill: LedgerFill, options: { allowShort: boolean }): FillOutcome {
  const qty = dec(fill.qty);
  const price = dec(fill.price);
  const fee = dec(fill.fee);
  if (!qty.gt(0) || !price.gt(0) || fee.isNeg() || !qty.isFinite() || !price.isFinite() || !fee.isFinite()) {
    throw new LedgerRefusal('invalid_fill', `invalid fill ${fill.side} ${String(fill.qty)} @ ${String(fill.price)} fee ${String(fill.fee)}`);
  }
  const direction = fill.side === 'buy' ? 1 : -1;
  const notional = qty.times(price);
  const cash = fill.side === 'buy' ? state.cash.minus(notional).minus(fee) : state.cash.plus(notional).minus(fee);
  if (cash.isNeg()) throw new LedgerRefusal('insufficient_funds', `fill needs ${notional.plus(fee).toFixed()} but cash is ${state.cash.toFixed()}`);

  const reducing = !state.qty.isZero() && state.qty.isPos() !== (direction > 0);
  const closedQty = reducing ? ExactDecimal.min(qty, state.qty.abs()) : dec(0);
  const opened = qty.minus(closedQty);
  let entryCost = state.entryCost;
  let entryFees = state.entryFees;
  let realizedGross = dec(0);
  let removedEntryFees = dec(0);
  const closingFee = closedQty.eq(qty) ? fee : fee.times(closedQty).div(qty).toDecimalPlaces(MONEY_DP, Decimal.ROUND_HALF_EVEN);
  if (closedQty.gt(0)) {
    const whole = closedQty.eq(state.qty.abs());
    const share = (amount: ExactDecimal) => (whole ? amount : amount.times(closedQty).div(state.qty.abs()).toDecimalPlaces(MONEY_DP, Decimal.ROUND_HALF_EVEN));
    const removed = share(state.entryCost);
    removedEntryFees = share(state.entryFees);
    const proceeds = closedQty.times(price);
    realizedGross = state.qty.isPos() ? proceeds.minus(removed) : removed.minus(proceeds);
    entryCost = entryCost.minus(removed);
    entryFees = entryFees.minus(removedEntryFees);
  }
  const newQty = state.qty.plus(qty.times(direction));
  if (newQty.isNeg() && !options.allowShort) {
    throw new LedgerRefusal('short_not_allowed', `a spot account cannot sell ${qty.toFixed()} holding ${state.qty.toFixed()}`);
  }
  if (opened.gt(0)) {
    entryCost = entryCost.plus(opened.times(price));
    entryFees = entryFees.plus(fee.minus(closingFee));
  }
  return {
    state: {
      qty: newQty,
      entryCost: newQty.isZero() ? dec(0) : entryCost,
      cash,
      realizedGross: state.realizedGross.plus(realizedGross),
      fees: state.fees.plus(fee),
      entryFees: newQty.isZero() ? dec(0) : entryFees,
    },
    closedQty,
    realizedGross,
    tradeRealizedPnl: closedQty.gt(0) ? realizedGross.minus(closingFee).minus(removedEntryFees) : dec(0),
  };
}

/** Mark-to-market P&L of the open quantity at `mark`. */
export function unrealizedPnl(state: LedgerState, mark: Decimal.Value): ExactDecimal {
  if (state.qty.isZero()) return dec(0);
  const value = state.qty.abs().times(mark);
  return state.qty.isPos() ? value.minus(state.entryCost) : state.entryCost.minus(value);
}

/** Cash plus the open quantity valued at `mark` (a short owes its quantity back). */
export function equity(state: LedgerState, mark: Decimal.Value): ExactDecimal {
  return state.cash.plus(state.qty.times(mark));
}

export interface TransferOutcome {
  readonly state: LedgerState;
  /** The cost basis that left with the quantity (at the average entry price). */
  readonly removedCost: ExactDecimal;
  /** The entry fees that left with it: still counted in `fees` (so in realized PnL), no longer due from a close. */
  readonly removedEntryFees: ExactDecimal;
}

/**
 * Takes `qty` out of the open position at cost, without a trade: coins that left the exchange account (sold or
 * withdrawn by hand, a fill never seen). The rest keeps its average entry price; the cost basis and the entry
 * fees shrink by the removed share, rounded as a partial close rounds them (half-even to MONEY_DP), so the removed
 * and the kept cost add up to the cost before exactly. Cash, realized price PnL and fees paid do not move: nothing
 * was sold by the bot, so nothing is realized.
 */
export function transferOut(state: LedgerState, qty: Decimal.Value): TransferOutcome {
  const amount = dec(qty);
  const held = state.qty.abs();
  if (!amount.isFinite() || !amount.gt(0) || amount.gt(held)) {
    throw new LedgerRefusal('invalid_fill', `cannot take ${String(qty)} out of a position of ${held.toFixed()}`);
  }
  const whole = amount.eq(held);
  const share = (value: ExactDecimal) => (whole ? value : value.times(amount).div(held).toDecimalPlaces(MONEY_DP, Decimal.ROUND_HALF_EVEN));
  const removedCost = share(state.entryCost);
  const removedEntryFees = share(state.entryFees);
  const newQty = state.qty.isPos() ? state.qty.minus(amount) : state.qty.plus(amount);
  return {
    state: {
      ...state,
      qty: newQty,
      entryCost: newQty.isZero() ? dec(0) : state.entryCost.minus(removedCost),
      entryFees: newQty.isZero() ? dec(0) : state.entryFees.minus(removedEntryFees),
    },
    removedCost,
    removedEntryFees,
  };
}
