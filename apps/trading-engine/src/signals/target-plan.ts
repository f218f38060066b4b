import { dec } from '../accounting/exact-decimal';

export type Target = 'long' | 'short' | 'flat';

export interface PlannedOrder {
  readonly side: 'buy' | 'sell';
  /** null: size an entry from the bot's settings; else the exact quantity (an exit). */
  readonly quantity: string | null;
  readonly purpose: 'entry' | 'exit';
}

export type Plan = { readonly ok: true; readonly orders: PlannedOrder[] } | { readonly ok: false; readonly reason: 'short_not_allowed' };

/**
 * Orders that take the current position (signed quantity) to the target: flat->long buys an entry;
 * long->flat sells the long; long->short sells the long then sells a new short entry (futures only).
 * Already at the target: nothing.
 */
export function planTarget(currentQty: string, target: Target, canShort: boolean): Plan {
  const qty = dec(currentQty);
  if (target === 'short' && !canShort) return { ok: false, reason: 'short_not_allowed' };
  const orders: PlannedOrder[] = [];
  if (qty.gt(0) && target !== 'long') orders.push({ side: 'sell', quantity: qty.toFixed(), purpose: 'exit' });
  if (qty.lt(0) && target !== 'short') orders.push({ side: 'buy', quantity: qty.abs().toFixed(), purpose: 'exit' });
  if (target === 'long' && !qty.gt(0)) orders.push({ side: 'buy', quantity: null, purpose: 'entry' });
  if (target === 'short' && !qty.lt(0)) orders.push({ side: 'sell', quantity: null, purpose: 'entry' });
  return { ok: true, orders };
}
