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
