import Decimal from 'decimal.js';
import { RiskBookHolder, ruleOf } from '../book/risk-book.provider';
import type { LimitRule } from '../book/risk-book';
import type { ActiveLimitRow, RiskLimitRepository } from '../limits/risk-limit.repository';
import type { RiskLimitEntity } from '../limits/risk-limit.entity';
import type { TradingStateRepository } from '../trading-state/trading-state.repository';
import type { TradingStateEntity } from '../trading-state/trading-state.entity';
import { RiskSettingsSync } from './risk-settings-sync';

const BOT = '0193a000-0000-7000-8000-000000000001';

/** The two tables as plain rows; a read can be held back to let a local change overtake it. */
class Tables {
  limits: ActiveLimitRow[] = [];
  states: Pick<TradingStateEntity, 'scope' | 'scopeId' | 'state'>[] = [];
  private gate?: Promise<void>;
  private onRead?: () => void;

  /** The next limits read takes the rows at once (`taken`) but returns them only once released. */
  holdNextRead(): { taken: Promise<void>; release: () => void } {
    let release: () => void = () => undefined;
    this.gate = new Promise<void>((resolve) => (release = resolve));
    const taken = new Promise<void>((resolve) => (this.onRead = resolve));
    return { taken, release: () => release() };
  }

  readonly limitRepo = {
    listActiveRules: async () => {
      const rows = [...this.limits]; // read now, returned when released
      const gate = this.gate;
      this.gate = undefined;
      this.onRead?.();
      if (gate) await gate;
      return rows;
    },
    activeDigest: async () => JSON.stringify(this.limits),
  } as unknown as RiskLimitRepository;

  readonly stateRepo = {
    listRestricted: async () => [...this.states],
    restrictedDigest: async () => JSON.stringify(this.states),
  } as unknown as TradingStateRepository;
}

const row = (id: string, value: string): ActiveLimitRow => ({
  id,
  scope: 'bot',
  scopeId: BOT,
  limitType: 'max_position_size',
  value,
  action: 'block',
  warnAtPcts: [80, 95],
  updatedAt: new Date('2026-11-20T00:00:00Z'),
});

describe('risk settings sync (limits and states of every instance)', () => {
  let tables: Tables;
  let holder: RiskBookHolder;
  let sync: RiskSettingsSync;
  const valueOf = (rules: LimitRule[]) => rules.map((r) => r.value.toFixed());

  beforeEach(() => {
    tables = new Tables();
    holder = new RiskBookHolder(new Decimal(10_000));
    sync = new RiskSettingsSync(holder, tables.limitRepo, tables.stateRepo, { redisUrl: 'redis://unused', namespace: '', instance: 'test', resyncMs: 1000 });
  });

  it('swaps in what the tables hold', async () => {
    tables.limits = [row('0193a000-0000-7000-8000-0000000000a1', '100')];
    tables.states = [{ scope: 'bot', scopeId: BOT, state: 'HALTED' }];
    await sync.reload();
    expect(valueOf(holder.book.limitsOf('bot', BOT))).toEqual(['100']);
    expect(holder.book.stateOf('bot', BOT)).toBe('HALTED');
  });

  it('does not apply a reload that read the tables before a change this instance made; it reads again', async () => {
    const read = tables.holdNextRead();
    const reload = sync.reload();
    await read.taken; // the reload has the limit-less rows, not yet swapped in
    // This instance commits a limit and applies it at once, while the read is in flight.
    const limit = row('0193a000-0000-7000-8000-0000000000a2', '250');
    tables.limits = [limit];
    sync.applyCommitted(() => holder.book.putLimit(ruleOf({ ...limit, actionOnBreach: limit.action } as unknown as RiskLimitEntity)));
    read.release();
    await reload;
    expect(valueOf(holder.book.limitsOf('bot', BOT))).toEqual(['250']);
  });

  it('re-arms the crossings of a scope another instance set back to ACTIVE', async () => {
    tables.states = [{ scope: 'bot', scopeId: BOT, state: 'HALTED' }];
    await sync.reload();
    holder.crossings.add(`limit-1:bot:${BOT}:2026-11-20:breach`);
    holder.crossings.add('limit-2:bot:0193a000-0000-7000-8000-000000000002:2026-11-20:breach');
    tables.states = [];
    await sync.reload();
    expect(holder.crossings.has(`limit-1:bot:${BOT}:2026-11-20:breach`)).toBe(false);
    expect(holder.crossings.has('limit-2:bot:0193a000-0000-7000-8000-000000000002:2026-11-20:breach')).toBe(true);
  });
});
