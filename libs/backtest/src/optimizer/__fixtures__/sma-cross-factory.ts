import type { Candle, Strategy, StrategySignal } from '@trading/strategies';

/** A minimal moving-average cross for optimizer tests (independent of the strategies library). */
class TestSmaCross implements Strategy {
  readonly warmup: number;
  private readonly closes: number[] = [];
  private target: 'long' | 'short' | 'flat' = 'flat';

  constructor(
    private readonly fast: number,
    private readonly slow: number,
  ) {
    this.warmup = slow;
  }

  onCandle(candle: Candle): StrategySignal | null {
    this.closes.push(candle.close);
    if (this.closes.length < this.slow) return null;
    const avg = (k: number) => this.closes.slice(-k).reduce((a, b) => a + b, 0) / k;
    const wanted = avg(this.fast) > avg(this.slow) ? 'long' : 'short';
    if (wanted === this.target) return null;
    this.target = wanted;
    return { target: wanted, reason: 'cross', indicators: {} };
  }
}

export function createStrategy(name: string, params: Readonly<Record<string, unknown>>): Strategy {
  if (name !== 'test_sma_cross') throw new Error(`unknown strategy ${name}`);
  const fast = Number(params['fast']);
  const slow = Number(params['slow']);
  if (!(fast >= 1 && slow > fast)) throw new Error(`need 1 <= fast < slow, got fast=${fast} slow=${slow}`);
  return new TestSmaCross(fast, slow);
}
