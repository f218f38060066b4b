import type { MarketInfo } from '@trading/exchange';
import { manualOrderRefusal, ManualOrderFunds, ManualOrderRequest, paperBuyPriceBound } from './manual-order-rules';

// Binance BTC/USDT's rules: lot step 0.00001, tick 0.01, minimum notional 5 USDT, fee 0.1 %.
const BTC_USDT: MarketInfo = { symbol: 'BTC/USDT', base: 'BTC', quote: 'USDT', amountStep: '0.00001', priceTick: '0.01', minAmount: '0.00001', maxAmount: '9000', minNotional: '5', makerFee: '0.001', takerFee: '0.001' };
const order = (o: Partial<ManualOrderRequest>): ManualOrderRequest => ({ symbol: 'BTC/USDT', side: 'buy', quantity: '0.01', limitPrice: null, price: '40000', buyPriceBound: '40000', ...o });
// a spot bot with 1 000 USDT free, holding 0.01 BTC
const SPOT: ManualOrderFunds = { spendable: '1000', sellable: '0.01' };

describe('manual order rules (refused before risk, nothing written)', () => {
  it.each<[string, Partial<ManualOrderRequest>, ManualOrderFunds, { status: number; code: string; message: string } | null]>([
    ['a quantity on the lot step, within the budget', { quantity: '0.02' }, SPOT, null],
    // 0.000015 / 0.00001 = 1.5: not a whole number of steps (never rounded down to 0.00001)
    ['a quantity finer than the lot step', { quantity: '0.000015' }, SPOT, { status: 400, code: 'INVALID_QUANTITY', message: 'quantity 0.000015 is not a multiple of the lot step 0.00001 of BTC/USDT' }],
    ['a limit price finer than the tick', { limitPrice: '39999.995', price: '39999.995', buyPriceBound: '39999.995' }, SPOT, { status: 400, code: 'INVALID_PRICE', message: 'price 39999.995 is not a multiple of the tick 0.01 of BTC/USDT' }],
    ['above the maximum amount', { side: 'sell', quantity: '9000.00001' }, { spendable: '0', sellable: null }, { status: 400, code: 'INVALID_QUANTITY', message: 'quantity 9000.00001 is above the maximum amount 9000 of BTC/USDT' }],
    // 0.0001 x 40 000 = 4 USDT < 5
    ['below the minimum notional', { quantity: '0.0001' }, SPOT, { status: 400, code: 'BELOW_MIN_SIZE', message: 'notional 4 USDT (0.0001 x 40000) is below the minimum 5 USDT of BTC/USDT' }],
    // 0.0001 x 50 000 = 5 USDT: exactly the minimum is enough
    ['exactly the minimum notional', { quantity: '0.0001', price: '50000', buyPriceBound: '50000' }, SPOT, null],
    ['a spot sell of what the bot holds', { side: 'sell', quantity: '0.01' }, SPOT, null],
    ['a spot sell larger than the position', { side: 'sell', quantity: '0.01001' }, SPOT, { status: 409, code: 'SELL_EXCEEDS_POSITION', message: 'a spot bot sells at most what it holds: 0.01 BTC free (its position less working sells), asked 0.01001' }],
    ['a sell that opens a short where shorts are allowed', { side: 'sell', quantity: '0.1' }, { spendable: '1000', sellable: null }, null],
    // 0.02497 x 40 000 x 1.001 = 998.8 + 0.9988 = 999.7988 <= 1 000
    ['a buy that fits the budget with its fee', { quantity: '0.02497' }, SPOT, null],
    // 0.02498 x 40 000 x 1.001 = 999.2 + 0.9992 = 1 000.1992 > 1 000
    ['a buy costing more than the free quote once the fee is counted', { quantity: '0.02498' }, SPOT, { status: 409, code: 'INSUFFICIENT_FUNDS', message: 'the buy may cost up to 1000.1992 USDT (0.02498 x 40000 with a 0.001 fee); the bot has 1000 USDT free' }],
    // priced at the bound with room for the market to move: 0.02497 x 40 200 x 1.001 = 1 004.797794 (1 003.794 + 1.003794)
    ['a market buy checked at its price bound, not the last price', { quantity: '0.02497', buyPriceBound: '40200' }, SPOT, { status: 409, code: 'INSUFFICIENT_FUNDS', message: 'the buy may cost up to 1004.797794 USDT (0.02497 x 40200 with a 0.001 fee); the bot has 1000 USDT free' }],
    ['a notional the ledger cannot store', { side: 'sell', quantity: '100', price: '10000000000', buyPriceBound: '10000000000' }, { spendable: '0', sellable: null }, { status: 400, code: 'INVALID_QUANTITY', message: 'quantity 100 is too large (notional 1000000000000 USDT)' }],
  ])('%s', (_name, o, funds, expected) => {
    expect(manualOrderRefusal(order(o), BTC_USDT, funds)).toEqual(expected);
  });

  it('checks nothing the pair does not define (an exchange counting significant digits has no tick)', () => {
    const loose: MarketInfo = { symbol: 'X/Y', base: 'X', quote: 'Y', makerFee: '0', takerFee: '0' };
    expect(manualOrderRefusal(order({ quantity: '0.123456789', limitPrice: '1.23456789', price: '1.23456789', buyPriceBound: '1.23456789' }), loose, { spendable: '1', sellable: null })).toBeNull();
  });

  it('bounds a paper market buy at the price with slippage, rounded up onto the tick', () => {
    // 40 000.01 x 1.0005 = 40 020.010005 -> 40 020.02
    expect(paperBuyPriceBound('40000.01', '5', '0.01')).toBe('40020.02');
    expect(paperBuyPriceBound('100', '0', '0.01')).toBe('100');
    expect(paperBuyPriceBound('3', '10', undefined)).toBe('3.003');
  });
});
