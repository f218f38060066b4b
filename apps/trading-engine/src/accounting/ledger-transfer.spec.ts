import fc from 'fast-check';
import { applyFill, averageEntry, LedgerRefusal, LedgerState, transferOut } from './ledger';
import { dec } from './exact-decimal';

const state = (s: {
  qty: string;
  entryCost: string;
  cash?: string;
  realizedGross?: string;
  fees?: string;
  entryFees?: string;
}): LedgerState => ({
  qty: dec(s.qty),
  entryCost: dec(s.entryCost),
  cash: dec(s.cash ?? '0'),
  realizedGross: dec(s.realizedGross ?? '0'),
  fees: dec(s.fees ?? '0'),
  entryFees: dec(s.entryFees ?? '0'),
});

const text = (s: LedgerState) => ({
  qty: s.qty.toFixed(),
  entryCost: s.entryCost.toFixed(),
  cash: s.cash.toFixed(),
  realizedGross: s.realizedGross.toFixed(),
  fees: s.fees.toFixed(),
  entryFees: s.entryFees.toFixed(),
});

describe('transferOut: quantity leaving a position at cost (an operator adjustment)', () => {
  it('takes 0.3 of a 0.5 BTC long bought at 40 000: cost 20 000 -> 8 000, entry fees 20 -> 8, nothing realized', () => {
    // 0.3 / 0.5 = 60 %: removed cost 12 000, removed entry fees 12; cash, realized and fees paid stay
    const before = state({
      qty: '0.5',
      entryCost: '20000',
      cash: '1000',
      realizedGross: '150',
      fees: '20',
      entryFees: '20',
    });
    const out = transferOut(before, '0.3');
    expect(text(out.state)).toEqual({
      qty: '0.2',
      entryCost: '8000',
      cash: '1000',
      realizedGross: '150',
      fees: '20',
      entryFees: '8',
    });
    expect(out.removedCost.toFixed()).toBe('12000');
    expect(out.removedEntryFees.toFixed()).toBe('12');
    expect(averageEntry(out.state)!.toFixed()).toBe('40000');
  });

  it('rounds the removed cost half-even to 1e-8 as a partial close does; removed + kept = the cost before', () => {
    // 12 000.5 x 0.1 / 0.3 = 4 000.1666666666... -> 4 000.16666667; kept 12 000.5 - 4 000.16666667 = 8 000.33333333
    const before = state({ qty: '0.3', entryCost: '12000.5' });
    const out = transferOut(before, '0.1');
    expect(out.removedCost.toFixed()).toBe('4000.16666667');
    expect(out.state.entryCost.toFixed()).toBe('8000.33333333');
    // average 40 001.6666666... before, 8 000.33333333 / 0.2 = 40 001.66666665 after: 2e-8 apart, the rounding unit / 0.2 at most 5e-8
    expect(averageEntry(out.state)!.toFixed()).toBe('40001.66666665');
  });

  it('takes everything out: the position is flat, its cost basis and entry fees gone, realized PnL unchanged', () => {
    const out = transferOut(
      state({ qty: '0.124875', entryCost: '5000', cash: '5000', realizedGross: '-3.5', fees: '5', entryFees: '5' }),
      '0.124875',
    );
    expect(text(out.state)).toEqual({
      qty: '0',
      entryCost: '0',
      cash: '5000',
      realizedGross: '-3.5',
      fees: '5',
      entryFees: '0',
    });
    expect(out.removedCost.toFixed()).toBe('5000');
  });

  it('reduces a short towards zero', () => {
    const out = transferOut(state({ qty: '-0.5', entryCost: '20000' }), '0.2');
    expect(out.state.qty.toFixed()).toBe('-0.3');
    expect(out.state.entryCost.toFixed()).toBe('12000');
  });

  it.each([['0'], ['-0.1'], ['0.50000001'], ['NaN'], ['Infinity']])('refuses to take %s out of 0.5', (qty) => {
    expect(() => transferOut(state({ qty: '0.5', entryCost: '20000' }), qty)).toThrow(LedgerRefusal);
  });

  const lots = (max: number) => fc.integer({ min: 1, max }).map((n) => dec(n).div(1e5));
  const scenario = fc
    .record({
      held: lots(10_000_000),
      price: fc.integer({ min: 1, max: 10_000_000_000 }).map((n) => dec(n).div(100)),
      entryFeesBps: fc.integer({ min: 0, max: 100 }),
      realizedGross: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }).map((n) => dec(n).div(1e8)),
      keptShare: fc.integer({ min: 0, max: 9_999 }),
      exit: fc.integer({ min: 1, max: 10_000_000_000 }).map((n) => dec(n).div(100)),
    })
    .map((s) => {
      const entryCost = s.held.times(s.price);
      const entryFees = entryCost.times(s.entryFeesBps).div(10_000).toDecimalPlaces(8);
      const target = s.held.times(s.keptShare).div(10_000).toDecimalPlaces(5, 1);
      return {
        ...s,
        target,
        before: {
          qty: s.held,
          entryCost,
          cash: dec(777),
          realizedGross: s.realizedGross,
          fees: entryFees.plus(1),
          entryFees,
        } as LedgerState,
      };
    });

  it('property: the cost basis splits exactly, nothing is realized, the rest keeps its average entry within the rounding unit', () => {
    fc.assert(
      fc.property(scenario, ({ before, target }) => {
        const out = transferOut(before, before.qty.minus(target));
        expect(out.state.qty.eq(target)).toBe(true);
        expect(
          out.state.cash.eq(before.cash) &&
            out.state.realizedGross.eq(before.realizedGross) &&
            out.state.fees.eq(before.fees),
        ).toBe(true);
        if (target.isZero()) {
          expect(out.removedCost.eq(before.entryCost)).toBe(true);
          expect(out.state.entryCost.isZero() && out.state.entryFees.isZero()).toBe(true);
          return;
        }
        expect(out.removedCost.plus(out.state.entryCost).eq(before.entryCost)).toBe(true);
        expect(out.removedEntryFees.plus(out.state.entryFees).eq(before.entryFees)).toBe(true);
        // kept cost is the exact pro-rata share within half a unit of 1e-8
        expect(out.state.entryCost.minus(before.entryCost.times(target).div(before.qty)).abs().lte('0.000000005')).toBe(
          true,
        );
        expect(out.removedCost.decimalPlaces()).toBeLessThanOrEqual(8);
      }),
      { numRuns: 500 },
    );
  });

  it('property: selling what is left afterwards realizes its price PnL against the kept cost basis, the adjustment none', () => {
    fc.assert(
      fc.property(scenario, ({ before, target, exit }) => {
        fc.pre(target.gt(0));
        const adjusted = transferOut(before, before.qty.minus(target)).state;
        const sold = applyFill(
          adjusted,
          { side: 'sell', qty: target.toFixed(), price: exit.toFixed(), fee: '0' },
          { allowShort: false },
        );
        expect(sold.state.qty.isZero()).toBe(true);
        expect(sold.realizedGross.eq(target.times(exit).minus(adjusted.entryCost))).toBe(true);
        expect(sold.state.realizedGross.eq(before.realizedGross.plus(sold.realizedGross))).toBe(true);
        // the whole entry fee left in the position is realized by the closing trade
        expect(sold.tradeRealizedPnl.eq(sold.realizedGross.minus(adjusted.entryFees))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
