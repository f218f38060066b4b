import { compareHoldings, toleranceByAsset } from './balance-drift';

/** An exchange balance with nothing locked in orders. */
const balance = (total: string) => ({ free: total, used: '0', total });

describe('comparing an exchange account with what its live bots hold', () => {
  it('an account holding exactly what the bots hold is no drift', () => {
    // two bots: 0.124875 + 0.015 BTC = 0.139875 BTC; the exchange reports 0.139875
    const [btc] = compareHoldings({
      held: new Map([['BTC', '0.139875']]),
      exchange: { BTC: balance('0.139875') },
      tolerance: new Map([['BTC', '0.00001']]),
      inFlight: new Map(),
    });
    expect(btc).toEqual({
      asset: 'BTC',
      exchangeFree: '0.139875',
      exchangeUsed: '0',
      exchangeTotal: '0.139875',
      ledger: '0.139875',
      shortfall: '0',
      allowed: '0.00001',
      drift: false,
    });
  });

  it('an exchange holding more than the bots (a shared account) is no drift', () => {
    const [btc] = compareHoldings({
      held: new Map([['BTC', '0.1']]),
      exchange: { BTC: balance('2.5') },
      tolerance: new Map([['BTC', '0.00001']]),
      inFlight: new Map(),
    });
    expect(btc).toMatchObject({ shortfall: '0', drift: false });
  });

  it('a shortfall beyond the tolerance is a drift, computed exactly', () => {
    // the bots hold 0.124875 BTC; someone sold 0.024875 by hand: the exchange has 0.1, short by 0.024875
    const [btc] = compareHoldings({
      held: new Map([['BTC', '0.124875']]),
      exchange: { BTC: balance('0.1') },
      tolerance: new Map([['BTC', '0.00001']]),
      inFlight: new Map(),
    });
    expect(btc).toMatchObject({ exchangeTotal: '0.1', ledger: '0.124875', shortfall: '0.024875', drift: true });
  });

  it('a shortfall within the tolerance (rounding, dust below one lot step) is no drift; one unit above it is', () => {
    const check = (total: string) =>
      compareHoldings({
        held: new Map([['BTC', '0.024975']]),
        exchange: { BTC: balance(total) },
        tolerance: new Map([['BTC', '0.00001']]),
        inFlight: new Map(),
      })[0];
    // 0.024975 - 0.024965 = 0.00001 = one step: allowed
    expect(check('0.024965')).toMatchObject({ shortfall: '0.00001', drift: false });
    // 0.024975 - 0.02496499 = 0.00001001 > 0.00001
    expect(check('0.02496499')).toMatchObject({ shortfall: '0.00001001', drift: true });
  });

  it('counts what is locked in orders on the exchange, and allows what working sells may have filled unbooked', () => {
    // 0.05 held by the ledger; the exchange: 0.02 free + 0.01 locked = 0.03 total, short by 0.02.
    // A working sell of the bots still has 0.02 to fill: the exchange may have sold it before the engine booked it.
    const [btc] = compareHoldings({
      held: new Map([['BTC', '0.05']]),
      exchange: { BTC: { free: '0.02', used: '0.01', total: '0.03' } },
      tolerance: new Map([['BTC', '0.00001']]),
      inFlight: new Map([['BTC', '0.02']]),
    });
    expect(btc).toMatchObject({ exchangeFree: '0.02', exchangeUsed: '0.01', shortfall: '0.02', allowed: '0.02001', drift: false });
  });

  it('takes free + in orders when the exchange reports no total', () => {
    // ccxt leaves total 0 when the exchange answers only free and used: 0.1 + 0.02 = 0.12 held, not 0
    const [btc] = compareHoldings({
      held: new Map([['BTC', '0.12']]),
      exchange: { BTC: { free: '0.1', used: '0.02', total: '0' } },
      tolerance: new Map([['BTC', '0.00001']]),
      inFlight: new Map(),
    });
    expect(btc).toMatchObject({ exchangeTotal: '0.12', shortfall: '0', drift: false });
  });

  it('an asset the exchange does not report at all is short by everything the bots hold; assets the bots do not hold are not compared', () => {
    const checks = compareHoldings({
      held: new Map([
        ['SOL', '3.5'],
        ['ETH', '0'],
      ]),
      exchange: { BNB: balance('1') },
      tolerance: new Map(),
      inFlight: new Map(),
    });
    expect(checks).toEqual([
      {
        asset: 'SOL',
        exchangeFree: '0',
        exchangeUsed: '0',
        exchangeTotal: '0',
        ledger: '3.5',
        shortfall: '3.5',
        allowed: '0',
        drift: true,
      },
    ]);
  });
});

describe('tolerance per asset', () => {
  it('is the largest lot step among the pairs with that base, times the configured steps', () => {
    const tolerance = toleranceByAsset(
      [
        { base: 'BTC', amountStep: '0.00001' },
        { base: 'BTC', amountStep: '0.0001' },
        { base: 'SOL', amountStep: '0.001' },
        { base: 'XRP', amountStep: undefined },
      ],
      '2',
    );
    // BTC: 2 x 0.0001; SOL: 2 x 0.001; XRP without a known step: 0
    expect(Object.fromEntries(tolerance)).toEqual({ BTC: '0.0002', SOL: '0.002', XRP: '0' });
  });
});
