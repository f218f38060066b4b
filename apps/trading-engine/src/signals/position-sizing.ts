import Decimal from 'decimal.js';
import { dec, ExactDecimal, floorToStep } from '../accounting/exact-decimal';

/** Room left for the price to move between an order and its fill, when the fill price is not known yet (a live market order). */
export const UNKNOWN_FILL_BUFFER_BPS = 50;

export type SizingMode = 'percent_equity' | 'fixed_quote' | 'risk_per_trade';

/** The bot settings sizing reads; percentages in percent ("2.5" = 2.5 %). */
export interface SizingSettings {
  readonly sizingMode: SizingMode;
  readonly positionSizePct: string | null;
  readonly positionSizeFixed: string | null;
  readonly riskPerTradePct: string | null;
  readonly stopLossPct: string | null;
  readonly leverage: number;
}

export interface PairRules {
  readonly amountStep?: string;
  readonly minAmount?: string;
  readonly minNotional?: string;
  readonly takerFee: string;
}

export type SizingResult =
  | { readonly ok: true; readonly quantity: string }
  | { readonly ok: false; readonly reason: 'below_min_size' | 'invalid_settings'; readonly rawQuantity: string };

const pct = (value: string | null): ExactDecimal | null => (value === null ? null : dec(value).div(100));

/**
 * Entry size in base units from the bot's settings, rounded down to the lot step:
 * - percent_equity: equity x pct x leverage / price;
 * - fixed_quote: the quote amount / price;
 * - risk_per_trade: equity x risk pct / (price x stop-loss pct), i.e. a stop-out loses the risk amount.
 * The quote spent (with the taker fee) never exceeds `spendable` on a spot account. Below the pair's minimum
 * amount or notional -> below_min_size.
 */
export function sizeEntry(
  settings: SizingSettings,
  equity: Decimal.Value,
  spendable: Decimal.Value,
  price: Decimal.Value,
  rules: PairRules,
  spot: boolean,
  /** Price the spendable cap assumes (above `price` when the fill price is not known yet). */
  capPrice: Decimal.Value = price,
): SizingResult {
  const px = dec(price);
  let quote: ExactDecimal | null = null;
  let qty: ExactDecimal | null = null;
  const leverage = dec(Math.max(1, settings.leverage));
  if (settings.sizingMode === 'percent_equity') {
    const p = pct(settings.positionSizePct);
    if (p) quote = dec(equity).times(p).times(spot ? 1 : leverage);
  } else if (settings.sizingMode === 'fixed_quote') {
    if (settings.positionSizeFixed !== null) quote = dec(settings.positionSizeFixed);
  } else {
    const risk = pct(settings.riskPerTradePct);
    const stop = pct(settings.stopLossPct);
    if (risk && stop && stop.gt(0)) qty = dec(equity).times(risk).div(px.times(stop));
  }
  if (qty === null && quote !== null) qty = quote.div(px);
  if (qty === null || !qty.isFinite() || qty.isNeg()) return { ok: false, reason: 'invalid_settings', rawQuantity: '0' };
  if (spot) {
    const affordable = dec(spendable).div(dec(capPrice).times(dec(1).plus(rules.takerFee)));
    if (qty.gt(affordable)) qty = affordable;
  }
  const rounded = floorToStep(qty, rules.amountStep);
  const tooSmall =
    rounded.lte(0) ||
    (rules.minAmount !== undefined && rounded.lt(rules.minAmount)) ||
    (rules.minNotional !== undefined && rounded.times(px).lt(rules.minNotional));
  if (tooSmall) return { ok: false, reason: 'below_min_size', rawQuantity: qty.toFixed() };
  return { ok: true, quantity: rounded.toFixed() };
}
