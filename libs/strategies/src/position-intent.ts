import { StrategySignal, TargetPosition } from './strategy';

/** Remembers the wanted position and turns a wish into a signal only when it changes. */
export class PositionIntent {
  private current: TargetPosition = 'flat';

  get position(): TargetPosition {
    return this.current;
  }

  /** Adopts `target` as the current position without emitting a signal (see `Strategy.assumePosition`). */
  assume(target: TargetPosition): void {
    this.current = target;
  }

  want(target: TargetPosition, reason: string, indicators: Record<string, number | null>): StrategySignal | null {
    if (target === this.current) return null;
    this.current = target;
    return { target, reason, indicators };
  }
}

/** NaN (warm-up) becomes null in a signal's indicator values. */
export function indicatorValue(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
