import { fillLimitOrder } from './limit-fill';
import { fillProtectiveExit, fillStopOrder, stopTriggerPrice, trailingStopLevel } from './stop-fill';

const fees = { maker: '0.001', taker: '0.002' };
const candle = { open: '100', high: '110', low: '90', close: '105', volume: '50' };

describe('fill model: limit orders', () => {
  it('fills a buy at the limit when the low reaches it, maker fee', () => {
    // 3 * 95 = 285 ; fee 0.285
    const fill = fillLimitOrder({ side: 'buy', qty: '3', limit: '95', candle, fees })!;
    expect(fill.price.toString()).toBe('95');
    expect(fill.fee.toString()).toBe('0.285');
    expect(fill.remaining.toString()).toBe('0');
    expect(fill.liquidity).toBe('maker');
  });

  it('fills at the open when the candle opens through the limit', () => {
    expect(fillLimitOrder({ side: 'buy', qty: '1', limit: '102', candle, fees })!.price.toString()).toBe('100');
    expect(fillLimitOrder({ side: 'sell', qty: '1', limit: '98', candle, fees })!.price.toString()).toBe('100');
  });

  it('touching counts (low == limit), a miss returns null', () => {
    expect(fillLimitOrder({ side: 'buy', qty: '1', limit: '90', candle, fees })).not.toBeNull();
    expect(fillLimitOrder({ side: 'buy', qty: '1', limit: '89.99', candle, fees })).toBeNull();
    expect(fillLimitOrder({ side: 'sell', qty: '1', limit: '110.01', candle, fees })).toBeNull();
  });

  it('fills partially up to the participation of the volume; the rest stays open', () => {
    // cap 0.1 * 50 = 5 of 8 ; remaining 3
    const fill = fillLimitOrder({ side: 'sell', qty: '8', limit: '108', candle, participation: '0.1', fees })!;
    expect(fill.qty.toString()).toBe('5');
    expect(fill.remaining.toString()).toBe('3');
    expect(fill.notional.toString()).toBe('540');
  });

  it('rounds a partial fill down to the lot and fills nothing below one lot', () => {
    const small = { ...candle, volume: '0.5' };
    expect(fillLimitOrder({ side: 'buy', qty: '2', limit: '95', candle: small, participation: '1', lotStep: '0.2', fees })!.qty.toString()).toBe('0.4');
    expect(fillLimitOrder({ side: 'buy', qty: '2', limit: '95', candle: small, participation: '0.1', lotStep: '0.1', fees })).toBeNull();
  });
});

describe('fill model: stops', () => {
  it('triggers a sell stop at the stop inside the candle, at the open on a gap', () => {
    expect(stopTriggerPrice('sell', '95', candle)!.toString()).toBe('95');
    expect(stopTriggerPrice('sell', '101', candle)!.toString()).toBe('100');
    expect(stopTriggerPrice('sell', '89', candle)).toBeNull();
    expect(stopTriggerPrice('buy', '108', candle)!.toString()).toBe('108');
    expect(stopTriggerPrice('buy', '97', candle)!.toString()).toBe('100');
    expect(stopTriggerPrice('buy', '111', candle)).toBeNull();
  });

  it('fills a triggered stop as taker with slippage', () => {
    // 95 * (1 - 0.002) = 94.81 ; 2 * 94.81 = 189.62 ; fee 0.37924
    const fill = fillStopOrder({ side: 'sell', qty: '2', stop: '95', candle, slippage: { bps: 20 }, fees })!;
    expect(fill.price.toString()).toBe('94.81');
    expect(fill.fee.toString()).toBe('0.37924');
  });

  it('computes trailing levels from the best price', () => {
    expect(trailingStopLevel('long', '120', '0.05').toString()).toBe('114');
    expect(trailingStopLevel('short', '80', '0.05').toString()).toBe('84');
  });

  it('assumes the stop when a candle reaches both stop and take-profit', () => {
    const exit = fillProtectiveExit({ positionSide: 'long', qty: '1', candle, stop: '92', takeProfit: '108', fees })!;
    expect(exit.reason).toBe('stop');
    expect(exit.fill.price.toString()).toBe('92');
    const short = fillProtectiveExit({ positionSide: 'short', qty: '1', candle, stop: '108', takeProfit: '92', fees })!;
    expect(short.reason).toBe('stop');
    expect(short.fill.price.toString()).toBe('108');
  });

  it('takes the gap: an open beyond the target exits at the open as take-profit', () => {
    const exit = fillProtectiveExit({ positionSide: 'long', qty: '1', candle, stop: '80', takeProfit: '99', fees })!;
    expect(exit.reason).toBe('take-profit');
    expect(exit.fill.price.toString()).toBe('100');
    expect(exit.fill.liquidity).toBe('maker');
  });

  it('returns null when neither level is reached', () => {
    expect(fillProtectiveExit({ positionSide: 'long', qty: '1', candle, stop: '85', takeProfit: '115', fees })).toBeNull();
  });
});
