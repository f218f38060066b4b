import { Logger } from '@nestjs/common';
import { createRedisConnection, normalizeNamespace } from '@trading/streams';
import type Redis from 'ioredis';
import Decimal from 'decimal.js';
import { RiskBookHolder } from '../book/risk-book.provider';
import { LimitRule, ScopeState, scopeKey } from '../book/risk-book';
import type { RiskScope } from '../limits/risk-limit.entity';
import { ActiveLimitRow, RiskLimitRepository } from '../limits/risk-limit.repository';
import { TradingStateRepository } from '../trading-state/trading-state.repository';

export interface RiskSettingsSyncOptions {
  readonly redisUrl: string;
  readonly namespace: string;
  readonly instance: string;
  /** Full reload period: the safety net for an announcement lost while this instance was disconnected. */
  readonly resyncMs: number;
}

/** What an announcement says: something changed (reload), and maybe a scope set back to ACTIVE (re-arm its crossings). */
interface Announcement {
  readonly rearm?: { readonly scope: RiskScope; readonly scopeId: string | null };
}

/** Attempts of a reload overtaken by local changes before it is applied anyway (the next reload corrects it). */
const MAX_OVERTAKEN = 5;

/**
 * Keeps every instance's limits and trading states equal to the risk schema. A change (limits RPC, state RPC, a
 * breach) is committed, applied to the changing instance's book, and announced on the Redis channel
 * `<namespace>risk:settings`; every instance then reloads the active limits and restricted states and swaps them into
 * its book. Every `resyncMs` the database digests both tables; a digest unlike the last loaded one (an announcement
 * lost while disconnected) reloads too, as does a reconnect.
 */
export class RiskSettingsSync {
  private readonly logger = new Logger(RiskSettingsSync.name);
  private readonly channel: string;
  private subscriber?: Redis;
  private publisher?: Redis;
  private timer?: NodeJS.Timeout;
  /** Bumped by every local change: a reload that read the database before it is not applied. */
  private generation = 0;
  private reloading?: Promise<void>;
  private reloadAgain = false;
  private reloads = 0;
  /** Digest of the limits and states last swapped in. */
  private loadedDigest = '';
  private rules = new Map<string, { updatedAt: number; rule: LimitRule }>();

  constructor(
    private readonly holder: RiskBookHolder,
    private readonly limits: RiskLimitRepository,
    private readonly states: TradingStateRepository,
    private readonly options: RiskSettingsSyncOptions,
  ) {
    this.channel = `${normalizeNamespace(options.namespace)}risk:settings`;
  }

  /** Subscribes, then loads the limits and states (a failure fails the start); call before the instance answers checks. */
  async start(): Promise<void> {
    const name = `risk:${this.options.instance}:settings`;
    this.publisher = createRedisConnection(this.options.redisUrl, { name: `${name}:pub` });
    const subscriber = createRedisConnection(this.options.redisUrl, { name: `${name}:sub`, autoPipelining: false });
    this.subscriber = subscriber;
    let connectedBefore = false;
    subscriber.on('ready', () => {
      // A reconnect may have lost announcements.
      if (connectedBefore) void this.reload();
      connectedBefore = true;
    });
    subscriber.on('message', (_channel: string, message: string) => this.onAnnouncement(message));
    await subscriber.subscribe(this.channel);
    // Not through reload(), which logs failures: an instance must not start without its limits.
    await this.loadAndSwap();
    this.timer = setInterval(() => void this.resync(), this.options.resyncMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.subscriber?.disconnect();
    await this.reloading;
    await this.publisher?.quit().catch(() => this.publisher?.disconnect());
  }

  /**
   * Applies a committed change to this instance's book and announces it to the others. `rearm`: the scope was set
   * back to ACTIVE, so every instance forgets the crossings it knew for it.
   */
  applyCommitted(change: () => void, rearm?: Announcement['rearm']): void {
    change();
    this.generation++;
    if (rearm) this.holder.crossings.forgetScope(rearm.scope, rearm.scopeId);
    const announcement: Announcement = rearm ? { rearm } : {};
    this.publisher?.publish(this.channel, JSON.stringify(announcement)).catch((error: Error) => {
      // The others catch up at their next full reload.
      this.logger.warn({ msg: 'announcing a settings change failed', error: error.message });
    });
  }

  snapshot(): { limits: number; restrictedScopes: number; reloads: number } {
    return { limits: this.holder.book.limitCount, restrictedScopes: this.holder.book.restrictedScopes().length, reloads: this.reloads };
  }

  /** One reload at a time; a request during one runs another right after it. */
  reload(): Promise<void> {
    if (this.reloading) {
      this.reloadAgain = true;
      return this.reloading;
    }
    this.reloading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          await this.loadAndSwap();
        } while (this.reloadAgain);
      } catch (error) {
        this.logger.warn({ msg: 'reloading limits and states failed; retrying at the next announcement or resync', error: (error as Error).message });
      } finally {
        this.reloading = undefined;
      }
    })();
    return this.reloading;
  }

  /** The periodic safety net: a full reload only when the tables' digest differs from the last loaded one. */
  private async resync(): Promise<void> {
    if (this.reloading) return;
    try {
      if ((await this.digest()) !== this.loadedDigest) await this.reload();
    } catch (error) {
      this.logger.warn({ msg: 'checking limits and states for changes failed', error: (error as Error).message });
    }
  }

  private async digest(): Promise<string> {
    const [limits, states] = await Promise.all([this.limits.activeDigest(), this.states.restrictedDigest()]);
    return `${limits}|${states}`;
  }

  private onAnnouncement(message: string): void {
    let announcement: Announcement = {};
    try {
      announcement = JSON.parse(message) as Announcement;
    } catch {
      this.logger.warn({ msg: 'ignoring a malformed settings announcement' });
    }
    const rearm = announcement.rearm;
    if (rearm && ['bot', 'user', 'global'].includes(rearm.scope)) this.holder.crossings.forgetScope(rearm.scope, rearm.scopeId ?? null);
    void this.reload();
  }

  private async loadAndSwap(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const generation = this.generation;
      // The digest before the rows: a change in between makes the next resync load again, never skip a change.
      const digest = await this.digest();
      const [limits, states] = await Promise.all([this.limits.listActiveRules(), this.states.listRestricted()]);
      if (generation !== this.generation && attempt < MAX_OVERTAKEN) continue;
      const book = this.holder.book;
      const next: ScopeState[] = states.map((s) => ({ scope: s.scope, scopeId: s.scopeId, state: s.state }));
      const stillRestricted = new Set(next.map((s) => scopeKey(s.scope, s.scopeId)));
      // A scope that left its restriction on another instance was set back to ACTIVE there: its crossings re-arm here too.
      for (const s of book.restrictedScopes()) if (!stillRestricted.has(scopeKey(s.scope, s.scopeId))) this.holder.crossings.forgetScope(s.scope, s.scopeId);
      book.replaceSettings(this.rulesOf(limits), next);
      this.loadedDigest = digest;
      this.reloads++;
      return;
    }
  }

  /** Rules of the rows, reusing the previous rule of a limit not updated since (no new decimals for unchanged limits). */
  private rulesOf(rows: readonly ActiveLimitRow[]): LimitRule[] {
    const previous = this.rules;
    this.rules = new Map();
    return rows.map((row) => {
      const known = previous.get(row.id);
      const rule =
        known && known.updatedAt === row.updatedAt.getTime()
          ? known.rule
          : { id: row.id, scope: row.scope, scopeId: row.scopeId, limitType: row.limitType, value: new Decimal(row.value), action: row.action, warnAtPcts: row.warnAtPcts };
      this.rules.set(row.id, { updatedAt: row.updatedAt.getTime(), rule });
      return rule;
    });
  }
}
