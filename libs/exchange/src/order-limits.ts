import Decimal from 'decimal.js';
import { ExchangeFinalError } from './errors/exchange.error';
import type { MarketInfo } from './exchange.port';

/** Checks an order against the pair's amount and notional limits before anything is sent. */
export function assertOrderWithinLimits(
  market: MarketInfo,
  amount: string,
  price: string | undefined,
  clientOrderId: string,
): void {
  const quantity = new Decimal(amount);
  const reject = (why: string) => {
    throw new ExchangeFinalError('invalid_order', `order ${clientOrderId} on ${market.symbol}: ${why}`);
  };
  if (!quantity.isFinite() || quantity.lte(0)) reject(`amount ${amount} must be positive`);
  if (market.minAmount !== undefined && quantity.lt(market.minAmount))
    reject(`amount ${amount} below minimum ${market.minAmount}`);
  if (market.maxAmount !== undefined && quantity.gt(market.maxAmount))
    reject(`amount ${amount} above maximum ${market.maxAmount}`);
  if (price !== undefined) {
    const unitPrice = new Decimal(price);
    if (!unitPrice.isFinite() || unitPrice.lte(0)) reject(`price ${price} must be positive`);
    const notional = quantity.times(unitPrice);
    if (market.minNotional !== undefined && notional.lt(market.minNotional)) {
      reject(`notional ${notional.toFixed()} below minimum ${market.minNotional}`);
    }
  }
}
