import fc from 'fast-check';
import { applyFill, equity, LedgerFill, LedgerRefusal, LedgerState, openLedger } from './ledger';
import { dec } from './exact-decimal';

/** Exact rationals on BigInt: the oracle the decimal ledger is checked against. */
class Rational {
  private constructor(
    readonly n: bigint,
    readonly d: bigint,
  ) {}
  static of(n: bigint, d = 1n): Rational {
    if (d === 0n) throw new Error('division by zero');
    if (d < 0n) [n, d] = [-n, -d];
    const g = gcd(n < 0n ? -n : n, d);
    return new Rational(n / g, d / g);
  }
  static parse(text: string): Rational {
    const negative = text.startsWith('-');
    const [int, frac = ''] = (negative ? text.slice(1) : text).split('.');
    const value = Rational.of(BigInt((int ?? '0') + frac), 10n ** BigInt(frac.length));
    return negative ? value.neg() : value;
  }
  add(o: Rational): Rational {
    return Rational.of(this.n * o.d + o.n * this.d, this.d * o.d);
  }
  sub(o: Rational): Rational {
    return this.add(o.neg());
  }
  mul(o: Rational): Rational {
    return Rational.of(this.n * o.n, this.d * o.d);
  }
  div(o: Rational): Rational {
    return Rational.of(this.n * o.d, this.d * o.n);
  }
  neg(): Rational {
    return Rational.of(-this.n, this.d);
  }
  abs(): Rational {
    return this.n < 0n ? this.neg() : this;
  }
  cmp(o: Rational): number {
    const diff = this.n * o.d - o.n * this.d;
    return diff === 0n ? 0 : diff < 0n ? -1 : 1;
  }
  /** Half-even rounding to `dp` decimals. */
  roundHalfEven(dp: number): Rational {
    const scale = 10n ** BigInt(dp);
    const scaled = this.n * scale;
    let q = scaled / this.d;
    let r = scaled % this.d;
    if (r < 0n) {
      q -= 1n;
      r += this.d;
    }
    const twice = 2n * r;
    if (twice > this.d || (twice === this.d && q % 2n !== 0n)) q += 1n;
    return Rational.of(q, scale);
  }
  eqDecimal(text: string): boolean {
    return this.cmp(Rational.parse(text)) === 0;
  }
}
function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}

interface OracleState {
  qty: Rational;
  entryCost: Rational;
  cash: Rational;
  realizedGross: Rational;
  fees: Rational;
}
const ZERO = Rational.of(0n);

/** The ledger's rules on exact rationals (the cost basis of a partial close rounded half-even to 1e-8). */
function oracleApply(s: OracleState, f: LedgerFill, allowShort: boolean): OracleState | 'refused' {
  const qty = Rational.parse(String(f.qty));
  const price = Rational.parse(String(f.price));
  const fee = Rational.parse(String(f.fee));
  const notional = qty.mul(price);
  const cash = f.side === 'buy' ? s.cash.sub(notional).sub(fee) : s.cash.add(notional).sub(fee);
  if (cash.cmp(ZERO) < 0) return 'refused';
  const signed = f.side === 'buy' ? qty : qty.neg();
  const newQty = s.qty.add(signed);
  if (newQty.cmp(ZERO) < 0 && !allowShort) return 'refused';
  const reducing = s.qty.cmp(ZERO) !== 0 && s.qty.cmp(ZERO) > 0 !== (f.side === 'buy');
  const held = s.qty.abs();
  const closed = reducing ? (qty.cmp(held) < 0 ? qty : held) : ZERO;
  let entryCost = s.entryCost;
  let gross = ZERO;
  if (closed.cmp(ZERO) > 0) {
    const removed = closed.cmp(held) === 0 ? s.entryCost : s.entryCost.mul(closed).div(held).roundHalfEven(8);
    const proceeds = closed.mul(price);
    gross = s.qty.cmp(ZERO) > 0 ? proceeds.sub(removed) : removed.sub(proceeds);
    entryCost = entryCost.sub(removed);
  }
  const opened = qty.sub(closed);
  if (opened.cmp(ZERO) > 0) entryCost = entryCost.add(opened.mul(price));
  return {
    qty: newQty,
    entryCost: newQty.cmp(ZERO) === 0 ? ZERO : entryCost,
    cash,
    realizedGross: s.realizedGross.add(gross),
    fees: s.fees.add(fee),
  };
}

const decimalText = (maxUnits: number, dp: number) =>
  fc.integer({ min: 1, max: maxUnits }).map((units) => dec(units).div(dec(10).pow(dp)).toFixed());
const aFill = fc.record({
  side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
  qty: decimalText(500_000, 5),
  price: decimalText(9_000_000, 2),
  fee: fc.integer({ min: 0, max: 10_000_000 }).map((u) => dec(u).div(1e8).toFixed()),
});

function run(fills: LedgerFill[], allowShort: boolean, capital: string) {
  let state: LedgerState = openLedger(capital);
  let oracle: OracleState = { qty: ZERO, entryCost: ZERO, cash: Rational.parse(capital), realizedGross: ZERO, fees: ZERO };
  const booked: LedgerFill[] = [];
  for (const fill of fills) {
    const expected = oracleApply(oracle, fill, allowShort);
    let outcome;
    try {
      outcome = applyFill(state, fill, { allowShort });
    } catch (error) {
      if (!(error instanceof LedgerRefusal)) throw error;
      expect(expected).toBe('refused');
      continue;
    }
    expect(expected).not.toBe('refused');
    oracle = expected as OracleState;
    state = outcome.state;
    booked.push(fill);
    if (!allowShort) expect(state.qty.isNeg() || state.cash.isNeg()).toBe(false);
  }
  return { state, oracle, booked };
}

describe('ledger (accounting of fills)', () => {
  it.each([
    ['spot', false],
    ['margin', true],
  ])('%s: quantity is the signed sum of fills, cash change = net realized - open cost basis, exact like rationals', (_, allowShort) => {
    fc.assert(
      fc.property(fc.array(aFill, { maxLength: 40 }), fc.constantFrom('1000', '50000', '1000000.5'), (fills, capital) => {
        const { state, oracle, booked } = run(fills, allowShort as boolean, capital);
        const signedSum = booked.reduce((sum, f) => (f.side === 'buy' ? sum.plus(f.qty) : sum.minus(f.qty)), dec(0));
        expect(state.qty.eq(signedSum)).toBe(true);
        // realized P&L plus fees (here: net realized = gross - fees) equals the balance change once the open
        // part is valued at its cost basis; when flat, it is exactly the cash change.
        const cashChange = state.cash.minus(capital);
        const openCost = state.qty.isNeg() ? state.entryCost.neg() : state.entryCost;
        expect(cashChange.eq(state.realizedGross.minus(state.fees).minus(openCost))).toBe(true);
        for (const key of ['qty', 'entryCost', 'cash', 'realizedGross', 'fees'] as const) {
          expect(oracle[key].eqDecimal(state[key].toFixed())).toBe(true);
        }
        if (!allowShort) expect(state.cash.isNeg() || state.qty.isNeg()).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('a round trip realises price P&L minus both fees, to the smallest unit', () => {
    const opened = applyFill(openLedger('10000'), { side: 'buy', qty: '0.12345', price: '40000.01', fee: '4.93800123' }, { allowShort: false });
    expect(opened.tradeRealizedPnl.toFixed()).toBe('0');
    const closed = applyFill(opened.state, { side: 'sell', qty: '0.12345', price: '41000.5', fee: '5.06151172' }, { allowShort: false });
    // (41000.5 - 40000.01) x 0.12345 = 123.5104905
    expect(closed.realizedGross.toFixed()).toBe('123.5104905');
    // net of both legs' fees: 123.5104905 - 5.06151172 - 4.93800123, exactly the cash change
    expect(closed.tradeRealizedPnl.toFixed()).toBe('113.51097755');
    expect(closed.state.cash.toFixed()).toBe('10113.51097755');
    expect(equity(closed.state, '1').toFixed()).toBe('10113.51097755');
  });

  it('a partial close removes a cost basis rounded half-even to 1e-8', () => {
    let s = applyFill(openLedger('1000'), { side: 'buy', qty: '1', price: '10', fee: '0' }, { allowShort: false }).state;
    s = applyFill(s, { side: 'buy', qty: '2', price: '10.01', fee: '0' }, { allowShort: false }).state; // cost 30.02 for 3
    const out = applyFill(s, { side: 'sell', qty: '1', price: '11', fee: '0' }, { allowShort: false });
    // 30.02 / 3 = 10.00666666.. -> 10.00666667 removed
    expect(out.realizedGross.toFixed()).toBe('0.99333333');
    expect(out.state.entryCost.toFixed()).toBe('20.01333333');
  });

  it('a sell through zero closes the long and opens a short at the fill price (margin only)', () => {
    const long = applyFill(openLedger('1000'), { side: 'buy', qty: '1', price: '100', fee: '0.1' }, { allowShort: true }).state;
    const flip = applyFill(long, { side: 'sell', qty: '3', price: '110', fee: '0.33' }, { allowShort: true });
    expect(flip.state.qty.toFixed()).toBe('-2');
    expect(flip.state.entryCost.toFixed()).toBe('220');
    expect(flip.realizedGross.toFixed()).toBe('10');
    expect(() => applyFill(long, { side: 'sell', qty: '3', price: '110', fee: '0.33' }, { allowShort: false })).toThrow(LedgerRefusal);
  });
});
