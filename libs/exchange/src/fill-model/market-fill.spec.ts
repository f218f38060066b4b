import Decimal from 'decimal.js';
import { computeFee } from './fees';
import { fillMarketAtPrice, fillMarketOrder, floorToStep } from './market-fill';
import { applySlippage, slippageBps } from './slippage';

const candle = { open: '100', high: '110', low: '90', close: '105', volume: '50' };
const fees = { maker: '0.001', taker: '0.002', fixed: '0.5' };

describe('fill model: market orders, slippage and fees', () => {
  it('charges notional * rate + fixed, maker and taker apart', () => {
    // 1000 * 0.001 + 0.5 = 1.5 ; 1000 * 0.002 + 0.5 = 2.5
    expect(computeFee('1000', 'maker', fees).toString()).toBe('1.5');
    expect(computeFee('1000', 'taker', fees).toString()).toBe('2.5');
  });

  it('adds impact bps proportional to size over candle volume, capped', () => {
    // 10 + 20 * 5 / 50 = 12 bps
    expect(slippageBps('5', '50', { bps: 10, impactBps: 20 }).toString()).toBe('12');
    // 20 * 500 / 50 = 200 -> capped at 30
    expect(slippageBps('500', '50', { bps: 10, impactBps: 20, maxImpactBps: 30 }).toString()).toBe('40');
    // zero volume takes the cap (default 100)
    expect(slippageBps('1', '0', { impactBps: 20 }).toString()).toBe('100');
  });

  it('moves buys up and sells down', () => {
    expect(applySlippage('100', 'buy', '25').toString()).toBe('100.25');
    expect(applySlippage('100', 'sell', '25').toString()).toBe('99.75');
  });

  it('fills a buy at the next open plus slippage, as taker', () => {
    // ref 100, 10 + 20*5/50 = 12 bps -> 100.12; notional 500.6; fee 500.6*0.002 + 0.5 = 1.5012
    const fill = fillMarketOrder({ side: 'buy', qty: '5', candle, slippage: { bps: 10, impactBps: 20 }, fees });
    expect(fill.price.toString()).toBe('100.12');
    expect(fill.notional.toString()).toBe('500.6');
    expect(fill.fee.toString()).toBe('1.5012');
    expect(fill.liquidity).toBe('taker');
  });

  it('fills a sell at the deciding close minus slippage when asked', () => {
    // 105 * (1 - 0.001) = 104.895 ; notional 2 * 104.895 = 209.79
    const fill = fillMarketOrder({ side: 'sell', qty: '2', candle, reference: 'close', slippage: { bps: 10 }, fees: { maker: 0, taker: 0 } });
    expect(fill.price.toString()).toBe('104.895');
    expect(fill.notional.toString()).toBe('209.79');
    expect(fill.fee.toString()).toBe('0');
  });

  it('keeps exact decimals (no float drift)', () => {
    const fill = fillMarketAtPrice({ side: 'buy', qty: '0.1', referencePrice: '0.2', fees: { maker: 0, taker: '0.1' } });
    expect(fill.notional.toString()).toBe('0.02');
    expect(fill.fee.toString()).toBe('0.002');
  });

  it('computes at 40 digits even from Decimals of the default 20-digit constructor', () => {
    // 123456.78901234 * 0.12345678 = = 15241.5776406028766652 exactly (24 digits)
    const fill = fillMarketAtPrice({ side: 'buy', qty: new Decimal('0.12345678'), referencePrice: new Decimal('123456.78901234'), fees: { maker: 0, taker: 0 } });
    expect(fill.notional.toString()).toBe('15241.5776406028766652');
  });

  it('rounds quantities down to the lot step and rejects nonsense', () => {
    expect(floorToStep('1.23456789', '0.001').toString()).toBe('1.234');
    expect(floorToStep('7.9', '1').toString()).toBe('7');
    expect(() => fillMarketAtPrice({ side: 'buy', qty: '-1', referencePrice: '1', fees })).toThrow(/quantity/);
    expect(() => fillMarketAtPrice({ side: 'buy', qty: '1', referencePrice: 'NaN', fees })).toThrow(/finite/);
  });
});
