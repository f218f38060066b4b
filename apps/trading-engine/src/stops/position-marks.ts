import { Logger } from '@nestjs/common';
import Decimal from 'decimal.js';
import { dec, toMoney } from '../accounting/exact-decimal';
import type { PositionEntity } from '../positions/position.entity';
import type { PositionRepository } from '../positions/position.repository';
import type { StopCheck } from './stop-rules';

export interface PositionMark {
  readonly id: string;
  readonly size: string;
  readonly avgEntryPrice: string;
  readonly currentPrice: string;
  readonly unrealizedPnl: string;
}

/** A price as the positions' NUMERIC(20, 8) columns keep it (PostgreSQL rounds half away from zero). */
const stored = (price: string): string => dec(price).toDecimalPlaces(8, Decimal.ROUND_HALF_UP).toFixed(8);

const differs = (a: string | null, b: string | null): boolean => (a === null || b === null ? a !== b : !dec(a).eq(b));

/** The position valued at `mark`: what its current price and unrealized PnL columns would say. */
export function markOf(position: PositionEntity, mark: string): PositionMark {
  const qty = dec(position.size);
  const entry = dec(position.avgEntryPrice);
  const upnl = position.side === 'long' ? dec(mark).minus(entry).times(qty) : entry.minus(mark).times(qty);
  return { id: position.id, size: position.size, avgEntryPrice: position.avgEntryPrice, currentPrice: stored(mark), unrealizedPnl: toMoney(upnl) };
}

/** The trailing marks a stop check moved, as stored (null: that mark did not move). */
export function movedTrailingMarks(position: PositionEntity, check: StopCheck): { highestPrice: string | null; lowestPrice: string | null } | null {
  const highest = check.highestPrice === null ? null : stored(check.highestPrice);
  const lowest = check.lowestPrice === null ? null : stored(check.lowestPrice);
  const highestPrice = highest !== null && differs(highest, position.highestPrice) ? highest : null;
  const lowestPrice = lowest !== null && differs(lowest, position.lowestPrice) ? lowest : null;
  return highestPrice === null && lowestPrice === null ? null : { highestPrice, lowestPrice };
}

/**
 * Open positions' display marks (current price, unrealized PnL) from market events: only the latest per position
 * is kept, and all of them are written in one statement at most every `flushMs`. They are display values (the
 * ledger never reads them), so a market event that moves nothing else costs no write of its own. A mark equal to
 * what the row already shows is not written at all.
 */
export class PositionMarkBuffer {
  private readonly logger = new Logger(PositionMarkBuffer.name);
  private readonly pending = new Map<string, PositionMark>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<number> | null = null;

  constructor(
    private readonly positions: PositionRepository,
    private readonly flushMs: number,
  ) {}

  note(position: PositionEntity, mark: string): void {
    const next = markOf(position, mark);
    if (!differs(next.currentPrice, position.currentPrice) && !differs(next.unrealizedPnl, position.unrealizedPnl)) {
      this.pending.delete(position.id);
      return;
    }
    this.pending.set(position.id, next);
    this.schedule();
  }

  /** The position was just written with its own marks: an older buffered one must not overwrite them. */
  forget(positionId: string): void {
    this.pending.delete(positionId);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Writes every buffered mark now; failures are logged (the next event's mark replaces a lost one). */
  async flush(): Promise<number> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    const marks = [...this.pending.values()];
    this.pending.clear();
    if (marks.length === 0) return 0;
    this.flushing = this.positions.writeDisplayMarks(marks).catch((error: unknown) => {
      this.logger.warn({ msg: 'position marks not written', positions: marks.length, detail: error instanceof Error ? error.message : String(error) });
      return 0;
    });
    try {
      return await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => void this.flush(), this.flushMs);
    this.timer.unref();
  }
}
