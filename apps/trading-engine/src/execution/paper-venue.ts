import type { MarketInfo, PaperExchangeSnapshot } from '@trading/exchange';
import { PaperExchangeAdapter } from '@trading/exchange';
import type { BotAccountEntity } from '../accounts/bot-account.entity';

export interface PaperSettings {
  readonly takerFee: string;
  readonly makerFee: string;
  readonly amountStep: string;
  readonly priceTick: string;
  readonly minNotional: string;
  readonly slippageBps: string;
}

export function splitSymbol(symbol: string): { base: string; quote: string } {
  const [base, rest = ''] = symbol.split('/');
  const quote = rest.split(':')[0] ?? '';
  return { base: base ?? symbol, quote };
}

/** The pair rules of a paper symbol (one set of fees and lot rules for every symbol, from the configuration). */
export function paperMarket(symbol: string, settings: PaperSettings): MarketInfo {
  const { base, quote } = splitSymbol(symbol);
  return {
    symbol,
    base,
    quote,
    priceTick: settings.priceTick,
    amountStep: settings.amountStep,
    minAmount: settings.amountStep,
    minNotional: settings.minNotional,
    makerFee: settings.makerFee,
    takerFee: settings.takerFee,
  };
}

/** The bot's paper exchange account, from its stored snapshot or freshly seeded with the bot's capital. */
export function openPaperAccount(account: BotAccountEntity, symbols: string[], settings: PaperSettings): PaperExchangeAdapter {
  const options = {
    markets: [...new Set(symbols)].map((s) => paperMarket(s, settings)),
    exchangeId: 'paper',
    slippage: { bps: settings.slippageBps },
    mode: account.marketType === 'futures' ? ('margin' as const) : ('spot' as const),
  };
  if (account.paperSnapshot) {
    const snapshot = account.paperSnapshot as PaperExchangeSnapshot;
    const known = new Set([...snapshot.orders.map((o) => o.symbol), ...Object.keys(snapshot.lastPrices), ...symbols]);
    return PaperExchangeAdapter.fromJSON(snapshot, { ...options, markets: [...known].map((s) => paperMarket(s, settings)) });
  }
  return new PaperExchangeAdapter({ ...options, balances: { [account.quoteCurrency]: account.initialCapital } });
}

/**
 * Closed paper orders an account remembers (with their trades) for look-ups by client order id of recent orders;
 * it keeps up to twice as many before forgetting the oldest, so a compaction (one read) runs once per that many
 * orders. trading.orders and trading.trades stay the record of every order.
 */
export const PAPER_CLOSED_ORDERS_KEPT = 50;

/**
 * The account's snapshot to store, its old closed orders forgotten. Call it after the transaction booked the
 * account's fills: an order the database still shows working (`activeClientOrderIds`) is never forgotten, so its
 * outcome can still be looked up by reconciliation.
 */
export async function paperSnapshotToStore(paper: PaperExchangeAdapter, activeClientOrderIds: () => Promise<string[]>): Promise<Record<string, unknown>> {
  if (paper.closedOrderCount() > 2 * PAPER_CLOSED_ORDERS_KEPT) {
    paper.compact({ keepClosed: PAPER_CLOSED_ORDERS_KEPT, keep: new Set(await activeClientOrderIds()) });
  }
  return paper.toJSON() as unknown as Record<string, unknown>;
}
