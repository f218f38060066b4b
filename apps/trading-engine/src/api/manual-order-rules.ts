import type { MarketInfo } from '@trading/exchange';
import Decimal from 'decimal.js';
import { dec, ExactDecimal } from '../accounting/exact-decimal';

/** A manual order refused before anything is recorded or asked of risk: the gateway's 4xx answer. */
export interface ManualOrderRefusal {
  readonly status: 400 | 409;
  readonly code: 'INVALID_QUANTITY' | 'INVALID_PRICE' | 'BELOW_MIN_SIZE' | 'SELL_EXCEEDS_POSITION' | 'INSUFFICIENT_FUNDS';
  readonly message: string;
}

export interface ManualOrderRequest {
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly quantity: string;
  /** The limit price; null for a market order. */
  readonly limitPrice: string | null;
  /** The price it is expected to fill at: the limit price, or the current market price. */
  readonly price: string;
  /** The highest unit price a buy may pay: the limit price, or the market price with room for slippage. */
  readonly buyPriceBound: string;
}

export interface ManualOrderFunds {
  /** Quote the bot may spend now (what working buys hold is not free). */
  readonly spendable: string;
  /** Base the bot may sell now (its position less what working sells hold); null where a sell may open a short. */
  readonly sellable: string | null;
}

/** Amounts the ledger stores (NUMERIC(20,8)) stay below this. */
const STORABLE = dec('1e12');

const multipleOf = (value: Decimal.Value, step: string | undefined) => step === undefined || dec(step).isZero() || dec(value).mod(step).isZero();

/**
 * The pair's and the bot's rules for a manual order, checked before risk is asked and before anything is written.
 * What is asked is what is traded: a quantity off the lot step or a price off the tick is refused, never rounded
 * (rounding a buy limit to the nearest tick could raise it above what the user accepted). A spot bot sells no more
 * than it holds, and a buy must fit the bot's free quote at its worst price with the highest fee: the exchange
 * would fill such an order (live accounts are shared), but the bot's ledger could never book it.
 */
export function manualOrderRefusal(order: ManualOrderRequest, market: MarketInfo, funds: ManualOrderFunds): ManualOrderRefusal | null {
  const { symbol, quantity } = order;
  const refuse = (status: 400 | 409, code: ManualOrderRefusal['code'], message: string): ManualOrderRefusal => ({ status, code, message });
  if (!multipleOf(quantity, market.amountStep)) return refuse(400, 'INVALID_QUANTITY', `quantity ${quantity} is not a multiple of the lot step ${market.amountStep} of ${symbol}`);
  if (order.limitPrice !== null && !multipleOf(order.limitPrice, market.priceTick)) {
    return refuse(400, 'INVALID_PRICE', `price ${order.limitPrice} is not a multiple of the tick ${market.priceTick} of ${symbol}`);
  }
  if (market.minAmount !== undefined && dec(quantity).lt(market.minAmount)) return refuse(400, 'BELOW_MIN_SIZE', `quantity ${quantity} is below the minimum amount ${market.minAmount} of ${symbol}`);
  if (market.maxAmount !== undefined && dec(quantity).gt(market.maxAmount)) return refuse(400, 'INVALID_QUANTITY', `quantity ${quantity} is above the maximum amount ${market.maxAmount} of ${symbol}`);
  const notional = dec(quantity).times(order.price);
  if (market.minNotional !== undefined && notional.lt(market.minNotional)) {
    return refuse(400, 'BELOW_MIN_SIZE', `notional ${notional.toFixed()} ${market.quote} (${quantity} x ${order.price}) is below the minimum ${market.minNotional} ${market.quote} of ${symbol}`);
  }
  if (dec(quantity).gte(STORABLE) || notional.gte(STORABLE)) return refuse(400, 'INVALID_QUANTITY', `quantity ${quantity} is too large (notional ${notional.toFixed()} ${market.quote})`);
  if (order.side === 'sell' && funds.sellable !== null && dec(quantity).gt(funds.sellable)) {
    return refuse(409, 'SELL_EXCEEDS_POSITION', `a spot bot sells at most what it holds: ${funds.sellable} ${market.base} free (its position less working sells), asked ${quantity}`);
  }
  if (order.side === 'buy') {
    const fee = ExactDecimal.max(market.makerFee, market.takerFee);
    const cost = dec(quantity).times(order.buyPriceBound).times(fee.plus(1));
    if (cost.gt(funds.spendable)) {
      return refuse(409, 'INSUFFICIENT_FUNDS', `the buy may cost up to ${cost.toFixed()} ${market.quote} (${quantity} x ${order.buyPriceBound} with a ${fee.toFixed()} fee); the bot has ${funds.spendable} ${market.quote} free`);
    }
  }
  return null;
}

/** The unit price bound of a paper market buy: the price with the paper slippage, rounded up onto the tick (as it fills). */
export function paperBuyPriceBound(price: string, slippageBps: string, tick: string | undefined): string {
  const slipped = dec(price).times(dec(1).plus(dec(slippageBps).div(10_000)));
  return (tick === undefined || dec(tick).isZero() ? slipped : slipped.toNearest(tick, Decimal.ROUND_UP)).toFixed();
}
