import { sizeEntry, SizingSettings } from './position-sizing';
import { planTarget } from './target-plan';

const rules = { amountStep: '0.00001', minAmount: '0.00001', minNotional: '5', takerFee: '0.001' };
const base: SizingSettings = { sizingMode: 'percent_equity', positionSizePct: '10', positionSizeFixed: null, riskPerTradePct: null, stopLossPct: null, leverage: 1 };

describe('sizeEntry', () => {
  it('percent of equity, rounded down to the lot step', () => {
    // 10 % of 10 000 = 1 000 quote / 43 210.55 = 0.023142... -> 0.02314
    expect(sizeEntry(base, '10000', '10000', '43210.55', rules, true)).toEqual({ ok: true, quantity: '0.02314' });
  });

  it('fixed quote amount', () => {
    expect(sizeEntry({ ...base, sizingMode: 'fixed_quote', positionSizeFixed: '250' }, '10000', '10000', '2500', rules, true)).toEqual({ ok: true, quantity: '0.1' });
  });

  it('risk per trade with the stop distance: a stop-out loses the risk amount', () => {
    // 1 % of 10 000 = 100 at risk; stop 2 % of 40 000 = 800 per unit -> 0.125
    const settings = { ...base, sizingMode: 'risk_per_trade' as const, riskPerTradePct: '1', stopLossPct: '2' };
    expect(sizeEntry(settings, '10000', '10000', '40000', rules, true)).toEqual({ ok: true, quantity: '0.125' });
  });

  it('never spends more than the spot cash with the fee', () => {
    expect(sizeEntry({ ...base, positionSizePct: '100' }, '1000', '1000', '100', rules, true)).toEqual({ ok: true, quantity: '9.99' });
  });

  it('below the minimum notional is refused as below_min_size', () => {
    expect(sizeEntry({ ...base, positionSizePct: '0.01' }, '10000', '10000', '40000', rules, true)).toMatchObject({ ok: false, reason: 'below_min_size' });
  });

  it('futures percent of equity uses the leverage', () => {
    expect(sizeEntry({ ...base, leverage: 3 }, '10000', '0', '100', rules, false)).toEqual({ ok: true, quantity: '30' });
  });
});

describe('planTarget', () => {
  it('flat -> long buys an entry; long -> long does nothing; long -> flat sells the long', () => {
    expect(planTarget('0', 'long', false)).toEqual({ ok: true, orders: [{ side: 'buy', quantity: null, purpose: 'entry' }] });
    expect(planTarget('0.5', 'long', false)).toEqual({ ok: true, orders: [] });
    expect(planTarget('0.5', 'flat', false)).toEqual({ ok: true, orders: [{ side: 'sell', quantity: '0.5', purpose: 'exit' }] });
  });

  it('long -> short sells the long then a short entry, for a futures bot only', () => {
    expect(planTarget('0.5', 'short', true)).toEqual({
      ok: true,
      orders: [
        { side: 'sell', quantity: '0.5', purpose: 'exit' },
        { side: 'sell', quantity: null, purpose: 'entry' },
      ],
    });
    expect(planTarget('0.5', 'short', false)).toEqual({ ok: false, reason: 'short_not_allowed' });
  });

  it('short -> flat buys back', () => {
    expect(planTarget('-2', 'flat', true)).toEqual({ ok: true, orders: [{ side: 'buy', quantity: '2', purpose: 'exit' }] });
  });
});
