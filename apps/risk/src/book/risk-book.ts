import Decimal from 'decimal.js';
import type { TradingState } from '@trading/contracts';
import type { BreachAction, LimitType, RiskScope } from '../limits/risk-limit.entity';
import { BotAccount, newAccount, utcDay, utcWeekStart } from './bot-account';
import { Measures, measure } from './measures';

export interface LimitRule {
  readonly id: string;
  readonly scope: RiskScope;
  readonly scopeId: string | null;
  readonly limitType: LimitType;
  readonly value: Decimal;
  readonly action: BreachAction;
  readonly warnAtPcts: readonly number[];
}

export interface ScopeState {
  readonly scope: RiskScope;
  readonly scopeId: string | null;
  readonly state: TradingState;
}

export const scopeKey = (scope: RiskScope, scopeId: string | null): string => (scope === 'global' ? 'global' : `${scope}:${scopeId}`);

const SEVERITY: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

export function mostRestrictive(states: readonly TradingState[]): TradingState {
  return states.reduce<TradingState>((worst, s) => (SEVERITY[s] > SEVERITY[worst] ? s : worst), 'ACTIVE');
}

/**
 * Everything the pre-trade check reads, in memory: bot accounts (positions, equity), active limits and trading
 * states per scope. Rebuilt from the risk schema and the streams at start (RiskBookLoader), kept current by this
 * instance's BookFeed (every stream entry) and RiskSettingsSync (limits and states), so a check never waits for the
 * database and every instance answers alike.
 */
export class RiskBook {
  private readonly accounts = new Map<string, BotAccount>();
  private readonly botsByUser = new Map<string, Set<string>>();
  private readonly limits = new Map<string, Map<LimitType, LimitRule>>();
  /** Scopes not ACTIVE. */
  private readonly states = new Map<string, ScopeState>();
  /** Owners of bots seen in bot events before their first trade. */
  private readonly owners = new Map<string, string>();
  /** Measures are pure functions of immutable accounts and the UTC day: computed once per account version and day. */
  private readonly botMeasures = new WeakMap<BotAccount, { period: string; measures: Measures }>();
  private readonly userMeasures = new Map<string, { period: string; measures: Measures }>();

  /** @param defaultStartingEquity capital of a bot until a bot event names its own (RISK_DEFAULT_STARTING_EQUITY). */
  constructor(readonly defaultStartingEquity: Decimal = new Decimal(10_000)) {}

  account(botId: string): BotAccount | undefined {
    return this.accounts.get(botId);
  }

  /** The bot's account, or a fresh one with the default capital for a bot that has not traded yet. */
  accountOrNew(botId: string, userId: string, at: Date): BotAccount {
    return this.accounts.get(botId) ?? newAccount(botId, this.owners.get(botId) ?? userId, this.defaultStartingEquity, at);
  }

  accountsOfUser(userId: string): BotAccount[] {
    const ids = this.botsByUser.get(userId);
    if (!ids) return [];
    return [...ids].map((id) => this.accounts.get(id)).filter((a): a is BotAccount => a !== undefined);
  }

  allAccounts(): IterableIterator<BotAccount> {
    return this.accounts.values();
  }

  putAccount(account: BotAccount): void {
    this.accounts.set(account.botId, account);
    this.rememberOwner(account.botId, account.userId);
    this.userMeasures.delete(account.userId);
  }

  get accountCount(): number {
    return this.accounts.size;
  }

  /** The bot's measures at `now` (cached per account version and UTC day). */
  measureBot(account: BotAccount, now: Date): Measures {
    const period = `${utcDay(now)}|${utcWeekStart(now)}`;
    const cached = this.botMeasures.get(account);
    if (cached?.period === period) return cached.measures;
    const measures = measure([account], now);
    this.botMeasures.set(account, { period, measures });
    return measures;
  }

  /** The sum of the user's bots at `now`, plus `extra` (a bot not traded yet); cached until one of them changes. */
  measureUser(userId: string, now: Date, extra?: BotAccount): Measures {
    const accounts = this.accountsOfUser(userId);
    if (extra && !accounts.some((a) => a.botId === extra.botId)) return measure([...accounts, extra], now);
    const period = `${utcDay(now)}|${utcWeekStart(now)}`;
    const cached = this.userMeasures.get(userId);
    if (cached?.period === period) return cached.measures;
    const measures = measure(accounts, now);
    this.userMeasures.set(userId, { period, measures });
    return measures;
  }

  rememberOwner(botId: string, userId: string): void {
    if (this.owners.get(botId) === userId) return;
    this.owners.set(botId, userId);
    this.userMeasures.delete(userId);
    let bots = this.botsByUser.get(userId);
    if (!bots) this.botsByUser.set(userId, (bots = new Set()));
    bots.add(botId);
  }

  ownerOf(botId: string): string | undefined {
    return this.owners.get(botId);
  }

  putLimit(rule: LimitRule): void {
    this.removeLimit(rule.id);
    const key = scopeKey(rule.scope, rule.scopeId);
    let rules = this.limits.get(key);
    if (!rules) this.limits.set(key, (rules = new Map()));
    rules.set(rule.limitType, rule);
  }

  removeLimit(id: string): void {
    for (const rules of this.limits.values()) {
      for (const [type, rule] of rules) if (rule.id === id) rules.delete(type);
    }
  }

  /** Replaces every limit and state at once (the risk schema's view, read by another instance's change). */
  replaceSettings(rules: readonly LimitRule[], states: readonly ScopeState[]): void {
    this.limits.clear();
    for (const rule of rules) {
      const key = scopeKey(rule.scope, rule.scopeId);
      let byType = this.limits.get(key);
      if (!byType) this.limits.set(key, (byType = new Map()));
      byType.set(rule.limitType, rule);
    }
    this.states.clear();
    for (const s of states) this.setState(s.scope, s.scopeId, s.state);
  }

  get limitCount(): number {
    let n = 0;
    for (const rules of this.limits.values()) n += rules.size;
    return n;
  }

  /** Every scope not ACTIVE. */
  restrictedScopes(): ScopeState[] {
    return [...this.states.values()];
  }

  limitsOf(scope: RiskScope, scopeId: string | null): LimitRule[] {
    return [...(this.limits.get(scopeKey(scope, scopeId))?.values() ?? [])];
  }

  setState(scope: RiskScope, scopeId: string | null, state: TradingState): void {
    const key = scopeKey(scope, scopeId);
    if (state === 'ACTIVE') this.states.delete(key);
    else this.states.set(key, { scope, scopeId, state });
  }

  stateOf(scope: RiskScope, scopeId: string | null): TradingState {
    return this.states.get(scopeKey(scope, scopeId))?.state ?? 'ACTIVE';
  }

  /** The most restrictive of the bot's, its user's and the global state. */
  effectiveState(userId: string, botId: string | null): TradingState {
    return mostRestrictive([this.stateOf('global', null), this.stateOf('user', userId), botId ? this.stateOf('bot', botId) : 'ACTIVE']);
  }
}
