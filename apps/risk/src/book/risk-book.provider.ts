import Decimal from 'decimal.js';
import { RiskLimitEntity } from '../limits/risk-limit.entity';
import type { RiskScope } from '../limits/risk-limit.entity';
import { CheckLatency } from './check-latency';
import { LimitRule, RiskBook } from './risk-book';

export function ruleOf(limit: RiskLimitEntity): LimitRule {
  return {
    id: limit.id,
    scope: limit.scope,
    scopeId: limit.scopeId,
    limitType: limit.limitType,
    value: new Decimal(limit.value),
    action: limit.actionOnBreach,
    warnAtPcts: limit.warnAtPcts.map(Number),
  };
}

/**
 * Limit crossings this instance knows are recorded (by itself or another instance: risk_events.crossing_key), so it
 * does not ask the database again on every event while a limit stays crossed.
 */
export class ReportedCrossings {
  private readonly keys = new Set<string>();

  has(key: string): boolean {
    return this.keys.has(key);
  }

  add(key: string): void {
    this.keys.add(key);
  }

  /** A scope set back to ACTIVE re-arms its crossings (keys are `<limit>:<subject scope>:<subject id>:<period>:<level>`). */
  forgetScope(scope: RiskScope, scopeId: string | null): void {
    if (scope === 'global') {
      this.keys.clear();
      return;
    }
    const marker = `:${scope}:${scopeId}:`;
    for (const key of [...this.keys]) if (key.includes(marker)) this.keys.delete(key);
  }
}

/**
 * The in-memory book, the latest marks and the check latencies of this instance. Filled at start by RiskBookLoader
 * and kept current by BookFeed (stream entries) and RiskSettingsSync (limits and states).
 */
export class RiskBookHolder {
  readonly book: RiskBook;
  readonly marks = new Map<string, Decimal>();
  readonly latency = new CheckLatency();
  readonly crossings = new ReportedCrossings();

  constructor(defaultStartingEquity: Decimal) {
    this.book = new RiskBook(defaultStartingEquity);
  }
}
