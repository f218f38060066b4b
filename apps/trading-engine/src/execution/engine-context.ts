import { Inject, Injectable } from '@nestjs/common';
import { CandleWindowCache, TickerCache } from '@trading/market-cache';
import { REDIS_CLIENT, SERVICE_CONFIG } from '@trading/service-runtime';
import { normalizeNamespace, OutboxWriter, RpcClient } from '@trading/streams';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { BotSettingsProvider } from '../bots/bot-settings.provider';
import { BotStatusStore } from '../bots/bot-status.store';
import { TradingEngineEnv } from '../config/trading-engine.env';
import { ExchangeKeyProvider } from '../live/exchange-key.provider';
import { BotOrderLock } from '../locks/bot-order-lock';
import { RiskGate } from '../risk/risk-gate';
import { PaperSettings } from './paper-venue';

/** The engine's collaborators built from its configuration (one RPC client, lock, caches per instance). */
@Injectable()
export class EngineContext {
  readonly namespace: string;
  readonly rpc: RpcClient;
  readonly risk: RiskGate;
  readonly botSettings: BotSettingsProvider;
  readonly botStatus: BotStatusStore;
  readonly lock: BotOrderLock;
  readonly tickers: TickerCache;
  /** market-data's candle windows: where a signal's next candle (its fill price) is found. */
  readonly candles: CandleWindowCache;
  readonly outbox = new OutboxWriter({ schema: 'trading' });
  readonly paper: PaperSettings;
  /** Decrypted exchange keys for live bots (auth.apiKeys.decryptForEngine); refuses every key without INTERNAL_RPC_TOKEN. */
  readonly exchangeKeys: ExchangeKeyProvider;

  constructor(
    @Inject(SERVICE_CONFIG) readonly config: TradingEngineEnv,
    @Inject(REDIS_CLIENT) readonly redis: Redis,
    readonly dataSource: DataSource,
  ) {
    this.namespace = normalizeNamespace(config.REDIS_NAMESPACE);
    this.rpc = new RpcClient({ redisUrl: config.REDIS_URL, namespace: this.namespace, defaultTimeoutMs: config.RISK_CHECK_TIMEOUT_MS });
    this.risk = new RiskGate(this.rpc, config.RISK_CHECK_TIMEOUT_MS);
    this.botSettings = new BotSettingsProvider(this.rpc, config.BOT_SETTINGS_TIMEOUT_MS, config.BOT_SETTINGS_CACHE_MS);
    this.botStatus = new BotStatusStore(redis, this.namespace);
    this.lock = new BotOrderLock(redis, { namespace: this.namespace, ttlMs: config.ORDER_LOCK_TTL_MS });
    this.exchangeKeys = new ExchangeKeyProvider(this.rpc, config.INTERNAL_RPC_TOKEN, config.AUTH_RPC_TIMEOUT_MS);
    this.tickers = new TickerCache(redis, this.namespace);
    this.candles = new CandleWindowCache(redis, this.namespace);
    this.paper = {
      takerFee: config.PAPER_TAKER_FEE,
      makerFee: config.PAPER_MAKER_FEE,
      amountStep: config.PAPER_AMOUNT_STEP,
      priceTick: config.PAPER_PRICE_TICK,
      minNotional: config.PAPER_MIN_NOTIONAL,
      slippageBps: config.PAPER_SLIPPAGE_BPS,
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.rpc.close();
  }
}
