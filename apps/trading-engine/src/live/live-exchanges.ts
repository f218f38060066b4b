import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { CcxtExchangeAdapter } from '@trading/exchange';
import { EngineContext } from '../execution/engine-context';
import { ExchangeKeyRef } from './exchange-key.provider';
import { parseExchangeOverrides, ExchangeOverrides } from './exchange-overrides';

/** One exchange account the engine trades on: the ccxt client built with one user's decrypted key. */
export interface LiveVenue {
  readonly exchange: string;
  readonly apiKeyId: string;
  readonly userId: string;
  readonly testnet: boolean;
  readonly adapter: CcxtExchangeAdapter;
}

interface CachedVenue {
  readonly venue: LiveVenue;
  readonly expiresAt: number;
}

/**
 * Exchange clients per (exchange, key, user). The decrypted key lives only inside the client, in memory, for
 * LIVE_KEY_CACHE_MS at most; `forget` drops it at once (a key the exchange refused, a key error).
 */
@Injectable()
export class LiveExchanges implements OnApplicationShutdown {
  private readonly logger = new Logger(LiveExchanges.name);
  private readonly venues = new Map<string, CachedVenue>();
  private readonly opening = new Map<string, Promise<LiveVenue>>();
  private readonly overrides: ExchangeOverrides;

  constructor(private readonly ctx: EngineContext) {
    this.overrides = parseExchangeOverrides(ctx.config.EXCHANGE_OVERRIDES);
  }

  /** The venue of a key; throws LiveKeyUnavailableError when the key cannot be had or is not the user's on that exchange. */
  async venue(ref: ExchangeKeyRef): Promise<LiveVenue> {
    const id = `${ref.exchange}|${ref.apiKeyId}|${ref.userId}`;
    const cached = this.venues.get(id);
    if (cached && cached.expiresAt > Date.now()) return cached.venue;
    if (cached) this.drop(id);
    const inFlight = this.opening.get(id);
    if (inFlight) return inFlight;
    const opening = this.open(ref).finally(() => this.opening.delete(id));
    this.opening.set(id, opening);
    const venue = await opening;
    const ttl = this.ctx.config.LIVE_KEY_CACHE_MS;
    if (ttl > 0) this.venues.set(id, { venue, expiresAt: Date.now() + ttl });
    return venue;
  }

  /** Drops every client holding this key (after the exchange refused it, or auth said it is gone). */
  forget(apiKeyId: string): void {
    for (const [id, cached] of this.venues) if (cached.venue.apiKeyId === apiKeyId) this.drop(id);
  }

  async onApplicationShutdown(): Promise<void> {
    for (const id of [...this.venues.keys()]) this.drop(id);
  }

  private async open(ref: ExchangeKeyRef): Promise<LiveVenue> {
    const key = await this.ctx.exchangeKeys.decrypt(ref);
    const overrides = this.overrides[ref.exchange] ?? {};
    const adapter = new CcxtExchangeAdapter({
      exchangeId: ref.exchange,
      ...key.material(),
      enableRateLimit: overrides.enableRateLimit ?? true,
      timeoutMs: this.ctx.config.EXCHANGE_TIMEOUT_MS,
      sandbox: key.testnet,
      ...(overrides.urls ? { urls: overrides.urls } : {}),
      ...(overrides.options ? { options: overrides.options } : {}),
      orderLookup: {
        attempts: this.ctx.config.EXCHANGE_ORDER_LOOKUP_ATTEMPTS,
        delayMs: this.ctx.config.EXCHANGE_ORDER_LOOKUP_DELAY_MS,
      },
    });
    this.logger.log({
      msg: 'exchange client opened',
      exchange: ref.exchange,
      exchangeKeyId: ref.apiKeyId,
      testnet: key.testnet,
      ...(overrides.enableRateLimit === false ? { rateLimiter: 'off' } : {}),
    });
    return { exchange: ref.exchange, apiKeyId: ref.apiKeyId, userId: ref.userId, testnet: key.testnet, adapter };
  }

  private drop(id: string): void {
    const cached = this.venues.get(id);
    this.venues.delete(id);
    cached?.venue.adapter.close().catch(() => undefined);
  }
}
