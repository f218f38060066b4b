import Decimal from 'decimal.js';
import { Measures, dailyLossPct, drawdownPct, measure, weeklyLossPct } from './measures';
import { LimitRule, RiskBook } from './risk-book';
import type { LimitType } from '../limits/risk-limit.entity';

/** Limits on the account's state, watched after every trade, position change and mark. */
const MONITORED: Partial<Record<LimitType, (m: Measures) => Decimal>> = {
  max_daily_loss_pct: dailyLossPct,
  max_weekly_loss_pct: weeklyLossPct,
  max_drawdown_pct: drawdownPct,
};

export interface LimitCrossing {
  readonly rule: LimitRule;
  /** What was measured: the bot (bot and global limits) or the user's bots together (user limits). */
  readonly subject: { readonly scope: 'bot' | 'user'; readonly id: string; readonly userId: string; readonly botId: string | null };
  readonly severity: 'warning' | 'breach';
  /** Percent of the limit reached by the warning level (e.g. 80), or 100 for a breach. */
  readonly thresholdPct: number;
  readonly current: Decimal;
  /** Identifies the crossing within its period, so each is reported once. */
  readonly key: string;
}

function periodOf(rule: LimitRule, m: Measures, now: Date): string {
  if (rule.limitType === 'max_daily_loss_pct') return now.toISOString().slice(0, 10);
  if (rule.limitType === 'max_weekly_loss_pct') return `w${m.weekStartEquity.toString()}:${now.toISOString().slice(0, 7)}`;
  return `peak${m.peakEquity.toString()}`;
}

function crossings(rules: readonly LimitRule[], m: Measures, subject: LimitCrossing['subject'], now: Date): LimitCrossing[] {
  const out: LimitCrossing[] = [];
  for (const rule of rules) {
    const metric = MONITORED[rule.limitType];
    if (!metric || !rule.value.gt(0)) continue;
    const current = metric(m);
    const reached = current.div(rule.value).times(100);
    const period = periodOf(rule, m, now);
    const base = `${rule.id}:${subject.scope}:${subject.id}:${period}`;
    if (current.gte(rule.value)) {
      out.push({ rule, subject, severity: 'breach', thresholdPct: 100, current, key: `${base}:breach` });
      continue;
    }
    const level = [...rule.warnAtPcts].sort((a, b) => b - a).find((pct) => reached.gte(pct));
    if (level !== undefined) out.push({ rule, subject, severity: 'warning', thresholdPct: level, current, key: `${base}:warn${level}` });
  }
  return out;
}

/** Loss and drawdown limits the bot (and its user) have reached or are close to, at `now`. */
export function limitCrossings(book: RiskBook, botId: string, now: Date): LimitCrossing[] {
  const account = book.account(botId);
  if (!account) return [];
  const botMeasures = measure([account], now);
  const out = crossings(
    [...book.limitsOf('bot', botId), ...book.limitsOf('global', null)],
    botMeasures,
    { scope: 'bot', id: botId, userId: account.userId, botId },
    now,
  );
  const userRules = book.limitsOf('user', account.userId);
  if (userRules.length > 0) {
    const userMeasures = measure(book.accountsOfUser(account.userId), now);
    out.push(...crossings(userRules, userMeasures, { scope: 'user', id: account.userId, userId: account.userId, botId: null }, now));
  }
  return out;
}
