import DecimalJs from 'decimal.js';

// 40 significant digits: balances and costs never round; an exchange's own rounding (fees) is done where it rounds.
export const Decimal = DecimalJs.clone({ precision: 40 });
export type Decimal = DecimalJs;

interface Holding {
  total: Decimal;
  held: Decimal;
}

/**
 * What an account owns per asset, as an exchange books it: a total, and the part open orders hold
 * (free = total - held). Every move is exact. An asset is booked (at zero) the first time it is touched.
 */
export class LoopbackLedger {
  private readonly holdings = new Map<string, Holding>();

  /** Sets the total; what open orders hold stays held. */
  setTotal(asset: string, total: DecimalJs.Value): void {
    this.entry(asset).total = new Decimal(total);
  }

  /** Sets what is free; what open orders hold stays held (the total is free + held). */
  setFree(asset: string, free: DecimalJs.Value): void {
    const entry = this.entry(asset);
    entry.total = entry.held.plus(free);
  }

  get(asset: string): { total: Decimal; held: Decimal; free: Decimal } {
    const { total, held } = this.entry(asset);
    return { total, held, free: total.minus(held) };
  }

  /** Every asset booked, in the order it was first touched. */
  all(): Array<{ asset: string; total: Decimal; held: Decimal; free: Decimal }> {
    return [...this.holdings.keys()].map((asset) => ({ asset, ...this.get(asset) }));
  }

  /** Holds part of the free balance for an order; `insufficient` is thrown when less is free. */
  hold(asset: string, amount: Decimal, insufficient: () => Error): void {
    if (this.get(asset).free.lt(amount)) throw insufficient();
    this.move(asset, 0, amount);
  }

  /** Frees what an order held (a cancel, or what a fill did not spend). */
  release(asset: string, amount: Decimal): void {
    this.move(asset, 0, amount.neg());
  }

  /** Pays out of what an order held. */
  spendHeld(asset: string, amount: Decimal): void {
    this.move(asset, amount.neg(), amount.neg());
  }

  credit(asset: string, amount: Decimal): void {
    this.move(asset, amount, 0);
  }

  debit(asset: string, amount: Decimal): void {
    this.move(asset, amount.neg(), 0);
  }

  private move(asset: string, total: DecimalJs.Value, held: DecimalJs.Value): void {
    const entry = this.entry(asset);
    entry.total = entry.total.plus(total);
    entry.held = entry.held.plus(held);
  }

  private entry(asset: string): Holding {
    let entry = this.holdings.get(asset);
    if (!entry) {
      entry = { total: new Decimal(0), held: new Decimal(0) };
      this.holdings.set(asset, entry);
    }
    return entry;
  }
}

/**
 * What each market trades at: the price set last, else the close of the newest candle of any of
 * its series. Series are keyed by market and interval, kept sorted by open time.
 */
export class LoopbackPrices<C extends { openTime: number; close: string }> {
  private readonly prices = new Map<string, Decimal>();
  private readonly series = new Map<string, C[]>();

  /** `unknownMarket`: the exchange's error for a market it has no price for. */
  constructor(private readonly unknownMarket: () => Error) {}

  set(market: string, price: DecimalJs.Value): Decimal {
    const value = new Decimal(price);
    this.prices.set(market, value);
    return value;
  }

  price(market: string): Decimal {
    const price = this.prices.get(market);
    if (price) return price;
    const series = [...this.series.entries()].find(([key]) => key.startsWith(`${market}|`))?.[1];
    const last = series?.[series.length - 1];
    if (last) return new Decimal(last.close);
    throw this.unknownMarket();
  }

  setCandles(market: string, interval: string | number, candles: C[]): void {
    this.series.set(
      `${market}|${interval}`,
      [...candles].sort((a, b) => a.openTime - b.openTime),
    );
  }

  candles(market: string, interval: string | number): C[] {
    return this.series.get(`${market}|${interval}`) ?? [];
  }
}

/** Whether a limit order trades at this market price: a buy at or below its limit, a sell at or above. */
export function limitReached(buy: boolean, market: Decimal, limit: Decimal): boolean {
  return buy ? market.lte(limit) : market.gte(limit);
}
