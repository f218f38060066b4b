import type { ExchangeTrade } from '@trading/exchange';
import { dec } from '../accounting/exact-decimal';
import type { LedgerFill } from '../accounting/ledger';
import { splitSymbol } from '../execution/paper-venue';

/**
 * The ledger keeps cash and fees in the quote currency and the position in what the account really holds.
 * - fee in quote (paper, any seller on Binance): as is;
 * - fee in base (a buyer on Binance spot receives its amount minus the fee): the position moves by the amount
 *   net of the fee and the fee is valued at the fill price. Buying q at p with fee f base is, in cash and
 *   holdings, buying q - f at p and paying f x p quote: cash -q x p either way, position +(q - f). A seller
 *   charged in base gives up q + f;
 * - fee in a third currency (e.g. BNB): not in the bot's quote cash; the trade row keeps it as charged.
 */
export function ledgerFillOf(
  fill: Pick<ExchangeTrade, 'side' | 'amount' | 'price' | 'fee'>,
  symbol: string,
): LedgerFill {
  const { base, quote } = splitSymbol(symbol);
  const currency = fill.fee.currency;
  const cost = dec(fill.fee.cost || 0);
  if (cost.isZero() || currency === '' || currency === quote)
    return { side: fill.side, qty: fill.amount, price: fill.price, fee: cost.toFixed() };
  if (currency === base) {
    const qty = fill.side === 'buy' ? dec(fill.amount).minus(cost) : dec(fill.amount).plus(cost);
    if (qty.lte(0))
      throw new Error(
        `fill of ${fill.amount} ${base} charged a fee of ${cost.toFixed()} ${base}: nothing left to book`,
      );
    return { side: fill.side, qty: qty.toFixed(), price: fill.price, fee: cost.times(fill.price).toFixed() };
  }
  return { side: fill.side, qty: fill.amount, price: fill.price, fee: '0' };
}
