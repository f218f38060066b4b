import type Redis from 'ioredis';

/** A drift the operator has been told about: an exchange account holding less of an asset than its bots. */
export interface ReportedDrift {
  readonly userId: string;
  readonly exchange: string;
  readonly exchangeKeyId: string;
  readonly asset: string;
  readonly exchangeTotal: string;
  readonly ledger: string;
  readonly shortfall: string;
  /** When it was first seen (ISO-8601). */
  readonly since: string;
  /** When it was last confirmed (ISO-8601). */
  readonly checkedAt: string;
}

/**
 * The drifts currently reported, shared by every engine instance (one Redis hash, field `<keyId>|<asset>`): an
 * event is published when a drift appears, changes or goes away, not at every check, and GET /metrics of any
 * instance lists them.
 */
export class BalanceDriftStore {
  constructor(
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  private get key(): string {
    return `${this.namespace}trading-engine:balance-drifts`;
  }

  async all(): Promise<ReportedDrift[]> {
    const hash = await this.redis.hgetall(this.key);
    return Object.values(hash)
      .map((raw) => JSON.parse(raw) as ReportedDrift)
      .sort((a, b) => `${a.exchangeKeyId}|${a.asset}`.localeCompare(`${b.exchangeKeyId}|${b.asset}`));
  }

  async ofAccount(exchangeKeyId: string): Promise<Map<string, ReportedDrift>> {
    return new Map((await this.all()).filter((d) => d.exchangeKeyId === exchangeKeyId).map((d) => [d.asset, d]));
  }

  /** Stores the account's current drifts and forgets its other assets. */
  async replaceAccount(exchangeKeyId: string, drifts: readonly ReportedDrift[], previous: Iterable<string>): Promise<void> {
    const keep = new Set(drifts.map((d) => d.asset));
    const gone = [...previous].filter((asset) => !keep.has(asset)).map((asset) => `${exchangeKeyId}|${asset}`);
    const multi = this.redis.multi();
    if (gone.length) multi.hdel(this.key, ...gone);
    for (const d of drifts) multi.hset(this.key, `${exchangeKeyId}|${d.asset}`, JSON.stringify(d));
    await multi.exec();
  }

  /** Forgets the drifts of accounts no longer checked (no running live bot trades on them). Returns how many. */
  async retainAccounts(checked: ReadonlySet<string>): Promise<number> {
    const stale = (await this.all()).filter((d) => !checked.has(d.exchangeKeyId)).map((d) => `${d.exchangeKeyId}|${d.asset}`);
    if (stale.length) await this.redis.hdel(this.key, ...stale);
    return stale.length;
  }
}
