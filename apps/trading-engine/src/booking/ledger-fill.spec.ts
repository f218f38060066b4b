import { dec } from '../accounting/exact-decimal';
import { applyFill, openLedger } from '../accounting/ledger';
import { ledgerFillOf } from './ledger-fill';

const buy = (amount: string, price: string, fee: { currency: string; cost: string }) => ({
  side: 'buy' as const,
  amount,
  price,
  fee,
});
const sell = (amount: string, price: string, fee: { currency: string; cost: string }) => ({
  side: 'sell' as const,
  amount,
  price,
  fee,
});

describe('ledgerFillOf: an exchange fill as the quote-currency ledger books it', () => {
  it('a fee in the quote currency (paper, a Binance seller) is booked as charged', () => {
    expect(ledgerFillOf(sell('0.02497', '39000', { currency: 'USDT', cost: '0.97383' }), 'BTC/USDT')).toEqual({
      side: 'sell',
      qty: '0.02497',
      price: '39000',
      fee: '0.97383',
    });
  });

  it('a buyer charged in base holds the amount net of the fee; the fee is valued at the fill price', () => {
    // Binance: buy 0.125 BTC at 40 000, commission 0.000125 BTC -> the account holds 0.124875 BTC and paid 5 000 USDT
    const fill = ledgerFillOf(buy('0.125', '40000', { currency: 'BTC', cost: '0.000125' }), 'BTC/USDT');
    expect(fill).toEqual({ side: 'buy', qty: '0.124875', price: '40000', fee: '5' });
    const { state } = applyFill(openLedger('10000'), fill, { allowShort: false });
    // cash 10 000 - 0.124875 x 40 000 - 5 = 5 000: exactly what the exchange took
    expect(state.cash.toFixed()).toBe('5000');
    expect(state.qty.toFixed()).toBe('0.124875');
    expect(state.fees.toFixed()).toBe('5');
  });

  it('a seller charged in base gives up the amount plus the fee', () => {
    // sell 1 at 100 with a fee of 0.001 base: 1.001 leaves the position, 100 comes in, the fee is worth 0.1
    const fill = ledgerFillOf(sell('1', '100', { currency: 'ETH', cost: '0.001' }), 'ETH/USDT');
    expect(fill).toEqual({ side: 'sell', qty: '1.001', price: '100', fee: '0.1' });
    const { state } = applyFill({ ...openLedger('0'), qty: dec('2'), entryCost: dec('180') }, fill, {
      allowShort: false,
    });
    expect(state.cash.toFixed()).toBe('100'); // 1.001 x 100 - 0.1
    expect(state.qty.toFixed()).toBe('0.999');
  });

  it('a fee in a third currency (BNB) is not taken from the quote cash', () => {
    expect(ledgerFillOf(buy('0.5', '2000', { currency: 'BNB', cost: '0.0012' }), 'ETH/USDT')).toEqual({
      side: 'buy',
      qty: '0.5',
      price: '2000',
      fee: '0',
    });
  });

  it('no fee, or no fee currency: as is', () => {
    expect(ledgerFillOf(buy('1', '10', { currency: '', cost: '0' }), 'SOL/USDT')).toEqual({
      side: 'buy',
      qty: '1',
      price: '10',
      fee: '0',
    });
  });

  it('a base fee that eats the whole fill is an impossible fill', () => {
    expect(() => ledgerFillOf(buy('0.001', '100', { currency: 'BTC', cost: '0.001' }), 'BTC/USDT')).toThrow(
      /nothing left/,
    );
  });
});
