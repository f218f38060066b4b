import { KRAKEN_ERRORS } from './kraken-api.error';
import { Decimal, limitReached, LoopbackLedger, LoopbackPrices } from './loopback-ledger';

export type KrakenSide = 'buy' | 'sell';
export type KrakenOrderType = 'market' | 'limit';
export type KrakenOrderStatus = 'open' | 'closed' | 'canceled';

/** One tradable pair as the state needs it (from AssetPairs). */
export interface KrakenPair {
  /** The AssetPairs key, e.g. XBTUSDT, XXBTZUSD: what ccxt sends as `pair`. */
  id: string;
  /** e.g. XBTUSD for XXBTZUSD; Kraken accepts either and writes the altname in order descriptions. */
  altname: string;
  /** Kraken asset ids, e.g. XXBT and USDT. */
  base: string;
  quote: string;
  pairDecimals: number;
  lotDecimals: number;
  costDecimals: number;
  ordermin: string;
  costmin: string;
  /** Fractions, e.g. 0.0016 and 0.0026 (the first tier of fees_maker / fees). */
  makerFee: string;
  takerFee: string;
}

export interface KrakenCandle {
  /** Bar open time, ms since epoch. */
  openTime: number;
  open: string;
  high: string;
  low: string;
  close: string;
  volume: string;
  /** Volume-weighted average price; the close unless told. */
  vwap?: string;
  /** Number of trades; 0 unless told. */
  count?: number;
}

export interface KrakenStoredOrder {
  txid: string;
  pair: string;
  side: KrakenSide;
  type: KrakenOrderType;
  /** Limit price; 0 for market orders. */
  price: Decimal;
  vol: Decimal;
  volExec: Decimal;
  cost: Decimal;
  fee: Decimal;
  status: KrakenOrderStatus;
  reason: string | null;
  openTime: number;
  closeTime?: number;
  clOrdId?: string;
  userref?: number;
  oflags: string;
  trades: string[];
  /** Still reserved for the unfilled part: quote (cost + the taker fee, rounded up) for buys, base for sells. */
  hold: Decimal;
}

export interface KrakenStoredTrade {
  /** Kraken trade txid, e.g. TWA6QJ-ZO4EM-6QIHQJ. */
  id: string;
  /** Kraken's sequential trade id per pair. */
  tradeId: number;
  ordertxid: string;
  postxid: string;
  pair: string;
  time: number;
  side: KrakenSide;
  ordertype: KrakenOrderType;
  price: Decimal;
  vol: Decimal;
  cost: Decimal;
  fee: Decimal;
  maker: boolean;
}

export interface KrakenNewOrder {
  pair: string;
  side: string;
  ordertype: string;
  volume: string | undefined;
  price?: string;
  clOrdId?: string;
  userref?: string;
  oflags?: string;
  timeinforce?: string;
  validate?: boolean;
}

export interface KrakenStateOptions {
  pairs: KrakenPair[];
  /** Total balance per Kraken asset id (XXBT, ZUSD, USDT, ...). */
  balances: Record<string, string>;
  /** Current price per pair id. */
  prices: Record<string, string>;
  candles: Array<{ pair: string; intervalMinutes: number; candles: KrakenCandle[] }>;
  now: () => number;
}

// Long UUID, short UUID (32 hex digits) or up to 18 characters of free text: the cl_ord_id formats Kraken documents.
const LONG_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHORT_UUID = /^[0-9a-f]{32}$/i;
const FREE_TEXT = /^[\x21-\x7e]{1,18}$/;
const INT32 = /^-?\d{1,10}$/;

const TXID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** A Kraken-looking id (O or T, then 5-5-6 characters) derived from a counter, so tests repeat. */
function krakenId(prefix: 'O' | 'T', n: number): string {
  let chars = prefix;
  let rest = n;
  for (let i = 0; i < 16; i++) {
    chars += TXID_ALPHABET[(rest + i * 7) % 32];
    rest = Math.floor(rest / 32);
  }
  return `${chars.slice(0, 6)}-${chars.slice(6, 11)}-${chars.slice(11, 17)}`;
}

export const KRAKEN_TXID = /^[A-Z0-9]{6}-[A-Z0-9]{5}-[A-Z0-9]{6}$/;

/**
 * The exchange's memory: our own orders and trades, balances per Kraken asset and the price each
 * pair trades at. Market orders and crossing limits fill at once, at the current price, as taker;
 * resting limits fill at their own price, as maker, when setPrice() crosses them. Fees are charged
 * in the quote currency (Kraken's `fciq`, the recorded orders' flag) and rounded half up to the
 * pair's cost_decimals, as in the recorded order (cost 7.105741 x 0.26 % -> fee 0.018475).
 */
export class LoopbackKrakenState {
  readonly pairs = new Map<string, KrakenPair>();
  readonly orders = new Map<string, KrakenStoredOrder>();
  readonly trades: KrakenStoredTrade[] = [];
  private readonly ledger = new LoopbackLedger();
  private readonly prices = new LoopbackPrices<KrakenCandle>(KRAKEN_ERRORS.unknownAssetPair);
  private orderCount = 0;
  private tradeCount = 0;
  private nextTradeId = 6_324_400;
  readonly now: () => number;

  constructor(options: KrakenStateOptions) {
    for (const pair of options.pairs) this.pairs.set(pair.id, pair);
    for (const [asset, total] of Object.entries(options.balances)) this.setBalance(asset, total);
    for (const [pair, price] of Object.entries(options.prices)) this.prices.set(pair, price);
    for (const series of options.candles) this.setCandles(series.pair, series.intervalMinutes, series.candles);
    this.now = options.now;
  }

  /** By AssetPairs key or altname, as Kraken accepts both. */
  pair(idOrAltname: string): KrakenPair {
    const pair =
      this.pairs.get(idOrAltname) ?? [...this.pairs.values()].find((p) => p.altname === idOrAltname.toUpperCase());
    if (!pair) throw KRAKEN_ERRORS.unknownAssetPair();
    return pair;
  }

  /** Sets an asset's total balance (what is held for open orders stays held). */
  setBalance(asset: string, total: string): void {
    this.ledger.setTotal(asset, total);
  }

  /** `free` = total - held, as ccxt computes it from BalanceEx. */
  balance(asset: string): { total: string; hold: string; free: string } {
    const { total, held, free } = this.ledger.get(asset);
    return { total: total.toFixed(), hold: held.toFixed(), free: free.toFixed() };
  }

  allBalances(): Array<{ asset: string; total: Decimal; hold: Decimal }> {
    return this.ledger.all().map(({ asset, total, held }) => ({ asset, total, hold: held }));
  }

  setCandles(pair: string, intervalMinutes: number, candles: KrakenCandle[]): void {
    this.prices.setCandles(pair, intervalMinutes, candles);
  }

  candles(pair: string, intervalMinutes: number): KrakenCandle[] {
    return this.prices.candles(pair, intervalMinutes);
  }

  price(pairId: string): Decimal {
    return this.prices.price(pairId);
  }

  /** Moves the market: resting limits the new price reaches fill at their own price, as maker. */
  setPrice(pairId: string, price: string): void {
    const pair = this.pair(pairId);
    const next = this.prices.set(pair.id, price);
    for (const order of this.openOrders().filter((o) => o.pair === pair.id)) {
      if (limitReached(order.side === 'buy', next, order.price)) this.fill(order, order.price, true);
    }
  }

  openOrders(): KrakenStoredOrder[] {
    return [...this.orders.values()].filter((o) => o.status === 'open');
  }

  closedOrders(): KrakenStoredOrder[] {
    return [...this.orders.values()].filter((o) => o.status !== 'open');
  }

  newOrder(params: KrakenNewOrder): { order: KrakenStoredOrder; trades: KrakenStoredTrade[]; validated: boolean } {
    const pair = this.pair(params.pair);
    if (params.ordertype !== 'market' && params.ordertype !== 'limit')
      throw KRAKEN_ERRORS.invalidArguments('ordertype');
    if (params.side !== 'buy' && params.side !== 'sell') throw KRAKEN_ERRORS.invalidArguments('type');
    const vol = decimalArg(params.volume, pair.lotDecimals, 'volume');
    if (vol.lt(pair.ordermin)) throw KRAKEN_ERRORS.orderMinimumNotMet();
    const isLimit = params.ordertype === 'limit';
    const limitPrice = isLimit ? decimalArg(params.price, pair.pairDecimals, 'price') : new Decimal(0);
    const flags = (params.oflags ?? '').split(',').filter(Boolean);
    if (flags.some((f) => !['post', 'fcib', 'fciq', 'nompp', 'viqc'].includes(f)))
      throw KRAKEN_ERRORS.invalidArguments('oflags');
    if (flags.includes('viqc') || flags.includes('fcib')) throw KRAKEN_ERRORS.invalidArguments('oflags'); // not modelled
    // Kraken takes a sell's fee in the base currency unless fciq is set (fcib is its default for sells): not modelled,
    // so a sell without fciq is refused rather than booked with a fee in the wrong currency.
    if (params.side === 'sell' && !flags.includes('fciq')) throw KRAKEN_ERRORS.invalidArguments('oflags');
    const timeInForce = params.timeinforce ?? 'GTC';
    if (!['GTC', 'IOC'].includes(timeInForce)) throw KRAKEN_ERRORS.invalidArguments('timeinforce');
    if (params.clOrdId !== undefined && params.userref !== undefined) throw KRAKEN_ERRORS.invalidArguments();
    if (params.clOrdId !== undefined && !isClOrdId(params.clOrdId)) throw KRAKEN_ERRORS.invalidArguments('cl_ord_id');
    if (params.userref !== undefined && !isInt32(params.userref)) throw KRAKEN_ERRORS.invalidArguments('userref');
    if (params.clOrdId !== undefined && this.openOrders().some((o) => o.clOrdId === params.clOrdId))
      throw KRAKEN_ERRORS.duplicateClOrdId();

    const current = this.price(pair.id);
    const side = params.side;
    const crosses = !isLimit || limitReached(side === 'buy', current, limitPrice);
    const postOnly = flags.includes('post');
    if (postOnly && !isLimit) throw KRAKEN_ERRORS.invalidArguments('oflags');
    const notionalPrice = isLimit ? limitPrice : current;
    if (vol.times(notionalPrice).lt(pair.costmin)) throw KRAKEN_ERRORS.costMinimumNotMet();

    // A buy holds what it may spend (cost at its limit, or at the current price when it takes) plus the taker fee.
    const holdPrice = isLimit && !crosses ? limitPrice : current;
    const holdAsset = side === 'buy' ? pair.quote : pair.base;
    const hold =
      side === 'buy'
        ? vol
            .times(holdPrice)
            .plus(vol.times(holdPrice).times(pair.takerFee).toDecimalPlaces(pair.costDecimals, Decimal.ROUND_UP))
        : vol;
    if (this.ledger.get(holdAsset).free.lt(hold)) throw KRAKEN_ERRORS.insufficientFunds();

    const now = this.now();
    const order: KrakenStoredOrder = {
      txid: krakenId('O', ++this.orderCount),
      pair: pair.id,
      side,
      type: params.ordertype,
      price: limitPrice,
      vol,
      volExec: new Decimal(0),
      cost: new Decimal(0),
      fee: new Decimal(0),
      status: 'open',
      reason: null,
      openTime: now,
      ...(params.clOrdId !== undefined ? { clOrdId: params.clOrdId } : {}),
      ...(params.userref !== undefined ? { userref: Number(params.userref) } : {}),
      oflags: ['fciq', ...flags.filter((f) => f !== 'fciq')].join(','),
      trades: [],
      hold: new Decimal(0),
    };
    if (params.validate) return { order, trades: [], validated: true };

    this.orders.set(order.txid, order);
    if (postOnly && crosses) {
      this.close(order, 'canceled', 'Post only order');
      return { order, trades: [], validated: false };
    }
    this.ledger.hold(holdAsset, hold, KRAKEN_ERRORS.insufficientFunds);
    order.hold = hold;
    if (crosses) return { order, trades: [this.fill(order, current, false)], validated: false };
    if (timeInForce === 'IOC') this.cancel(order.txid, 'Immediate or cancel');
    return { order, trades: [], validated: false };
  }

  findOrder(txid: string): KrakenStoredOrder | undefined {
    return this.orders.get(txid);
  }

  /** By txid or cl_ord_id (the open order carrying it); `EOrder:Unknown order` when none is open. */
  cancel(ref: string, reason = 'User requested', byClOrdId = false): KrakenStoredOrder {
    const order = byClOrdId ? this.openOrders().find((o) => o.clOrdId === ref) : this.orders.get(ref);
    if (!order || order.status !== 'open') throw KRAKEN_ERRORS.unknownOrder();
    this.release(order);
    this.close(order, 'canceled', reason);
    return order;
  }

  private fill(order: KrakenStoredOrder, price: Decimal, maker: boolean): KrakenStoredTrade {
    const pair = this.pairs.get(order.pair) as KrakenPair;
    const vol = order.vol.minus(order.volExec);
    const cost = vol.times(price);
    const fee = cost
      .times(maker ? pair.makerFee : pair.takerFee)
      .toDecimalPlaces(pair.costDecimals, Decimal.ROUND_HALF_UP);
    this.release(order);
    if (order.side === 'buy') {
      this.ledger.debit(pair.quote, cost.plus(fee));
      this.ledger.credit(pair.base, vol);
    } else {
      this.ledger.debit(pair.base, vol);
      this.ledger.credit(pair.quote, cost.minus(fee));
    }
    const now = this.now();
    const trade: KrakenStoredTrade = {
      id: krakenId('T', ++this.tradeCount),
      tradeId: this.nextTradeId++,
      ordertxid: order.txid,
      postxid: krakenId('T', 1_000_000 + this.tradeCount),
      pair: order.pair,
      time: now,
      side: order.side,
      ordertype: order.type,
      price,
      vol,
      cost,
      fee,
      maker,
    };
    this.trades.push(trade);
    order.volExec = order.volExec.plus(vol);
    order.cost = order.cost.plus(cost);
    order.fee = order.fee.plus(fee);
    order.trades.push(trade.id);
    this.close(order, 'closed', null);
    return trade;
  }

  private close(order: KrakenStoredOrder, status: 'closed' | 'canceled', reason: string | null): void {
    order.status = status;
    order.reason = reason;
    order.closeTime = this.now();
  }

  /** Gives back what the order still holds (a buy filled below its hold, or a cancel). */
  private release(order: KrakenStoredOrder): void {
    if (order.hold.isZero()) return;
    const pair = this.pairs.get(order.pair) as KrakenPair;
    this.ledger.release(order.side === 'buy' ? pair.quote : pair.base, order.hold);
    order.hold = new Decimal(0);
  }
}

function decimalArg(value: string | undefined, decimals: number, name: string): Decimal {
  if (value === undefined || !/^\d+(\.\d+)?$/.test(value)) throw KRAKEN_ERRORS.invalidArguments(name);
  const parsed = new Decimal(value);
  if (parsed.lte(0) || parsed.decimalPlaces() > decimals) throw KRAKEN_ERRORS.invalidArguments(name);
  return parsed;
}

function isClOrdId(value: string): boolean {
  return LONG_UUID.test(value) || SHORT_UUID.test(value) || FREE_TEXT.test(value);
}

function isInt32(value: string): boolean {
  return INT32.test(value) && Number(value) >= -2_147_483_648 && Number(value) <= 2_147_483_647;
}
