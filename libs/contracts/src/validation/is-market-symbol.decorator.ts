import { Matches, ValidationOptions } from 'class-validator';

/** ccxt unified symbol: BASE/QUOTE, optionally :SETTLE for derivatives (BTC/USDT, BTC/USDT:USDT). */
export const MARKET_SYMBOL = /^[A-Z0-9]{1,20}\/[A-Z0-9]{1,20}(:[A-Z0-9]{1,20})?$/;

export function IsMarketSymbol(validationOptions?: ValidationOptions): PropertyDecorator {
  return Matches(MARKET_SYMBOL, { message: '$property must be a unified symbol like BTC/USDT', ...validationOptions });
}
