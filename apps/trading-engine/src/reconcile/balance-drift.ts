import type { Balances, MarketInfo } from '@trading/exchange';
import { dec, ExactDecimal } from '../accounting/exact-decimal';

/** One asset of an exchange account, compared with what the live bots trading on it hold by the ledger. */
export interface AssetCheck {
  readonly asset: string;
  readonly exchangeFree: string;
  readonly exchangeUsed: string;
  readonly exchangeTotal: string;
  /** What the bots hold by the ledger (their balances of the asset, summed). */
  readonly ledger: string;
  /** How much less the exchange holds than the ledger says ('0' when it holds as much or more). */
  readonly shortfall: string;
  /**
   * What the shortfall may be without being a drift: the tolerance (lot steps), plus what the bots' working sell
   * orders still have to fill (the exchange may have sold it a moment before the engine books the fill).
   */
  readonly allowed: string;
  readonly drift: boolean;
}

export interface HoldingsComparison {
  /** Per asset, what the bots hold by the ledger (their quote cash is a budget, not a holding: left out). */
  readonly held: ReadonlyMap<string, string>;
  readonly exchange: Balances;
  readonly tolerance: ReadonlyMap<string, string>;
  readonly inFlight: ReadonlyMap<string, string>;
}

/**
 * Compares, asset by asset, the exchange account's total with what the bots hold by the ledger. Only a shortfall
 * beyond what is allowed is a drift: an exchange holding more than the bots is normal (the account is shared
 * with the user's own holdings, or other programs).
 */
export function compareHoldings(input: HoldingsComparison): AssetCheck[] {
  const checks: AssetCheck[] = [];
  for (const [asset, held] of [...input.held].sort(([a], [b]) => a.localeCompare(b))) {
    const ledger = dec(held);
    if (ledger.lte(0)) continue;
    const entry = input.exchange[asset];
    const free = dec(entry?.free ?? '0');
    const used = dec(entry?.used ?? '0');
    // an exchange that reports no total (ccxt then leaves it 0) still holds free + used
    const total = ExactDecimal.max(dec(entry?.total ?? '0'), free.plus(used));
    const shortfall = ExactDecimal.max(0, ledger.minus(total));
    const allowed = dec(input.tolerance.get(asset) ?? '0').plus(input.inFlight.get(asset) ?? '0');
    checks.push({
      asset,
      exchangeFree: free.toFixed(),
      exchangeUsed: used.toFixed(),
      exchangeTotal: total.toFixed(),
      ledger: ledger.toFixed(),
      shortfall: shortfall.toFixed(),
      allowed: allowed.toFixed(),
      drift: shortfall.gt(allowed),
    });
  }
  return checks;
}

/**
 * Per base asset, the largest lot step among the bots' pairs with that base, times `steps`: the rounding a
 * ledger rounded down to 8 decimals and an exchange trading in lot steps may leave, and dust below one step.
 */
export function toleranceByAsset(markets: readonly Pick<MarketInfo, 'base' | 'amountStep'>[], steps: string): Map<string, string> {
  const largest = new Map<string, ExactDecimal>();
  for (const market of markets) {
    const step = dec(market.amountStep ?? '0');
    const known = largest.get(market.base);
    if (!known || step.gt(known)) largest.set(market.base, step);
  }
  return new Map([...largest].map(([asset, step]) => [asset, step.times(steps).toFixed()]));
}
