import { adjustmentRefusal } from './position-adjustment-rules';

const BTC_USDT = { symbol: 'BTC/USDT', base: 'BTC', amountStep: '0.00001' };

describe('adjustmentRefusal: what a live position may be set to', () => {
  it.each([
    ['a multiple of the lot step below the size', '0.1', '0.124875'],
    ['zero (closes it)', '0', '0.124875'],
    ['one step below the size', '0.12486', '0.12487'],
  ])('accepts %s', (_name, target, size) => {
    expect(adjustmentRefusal(target, size, BTC_USDT)).toBeNull();
  });

  it('refuses a quantity off the lot step (never rounded): 400 INVALID_QUANTITY', () => {
    expect(adjustmentRefusal('0.100005', '0.124875', BTC_USDT)).toEqual({
      status: 400,
      code: 'INVALID_QUANTITY',
      message: 'quantity 0.100005 is not a multiple of the lot step 0.00001 of BTC/USDT',
    });
  });

  it('refuses more than the ledger’s 8 decimals even without a lot step', () => {
    expect(adjustmentRefusal('0.000000001', '1', { ...BTC_USDT, amountStep: undefined })).toMatchObject({
      status: 400,
      code: 'INVALID_QUANTITY',
    });
  });

  it.each([
    ['the size itself', '0.124875'],
    ['more than the size', '0.2'],
  ])('refuses %s: 409 ADJUSTMENT_NOT_REDUCING', (_name, target) => {
    expect(adjustmentRefusal(target, '0.12487500', { ...BTC_USDT, amountStep: '0.000001' })).toEqual({
      status: 409,
      code: 'ADJUSTMENT_NOT_REDUCING',
      message: `quantity ${target} is not below the position's 0.124875 BTC: an adjustment only reduces a position (0 closes it)`,
    });
  });
});
