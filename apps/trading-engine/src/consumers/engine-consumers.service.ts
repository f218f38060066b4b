import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BotStatusChanged, RiskLimitBreached, SignalEmitted, StreamEventMap, Streams } from '@trading/contracts';
import { instanceName, SERVICE_CONFIG } from '@trading/service-runtime';
import { PARTITION_KEY_EXTRA, RedisStreamsServer } from '@trading/streams';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { TradingApiService } from '../api/trading-api.service';
import { TradingEngineEnv } from '../config/trading-engine.env';
import { EngineContext } from '../execution/engine-context';
import { BalanceReconciler } from '../reconcile/balance-reconciler';
import { OpenOrderReconciler } from '../reconcile/open-order-reconciler';
import { SignalProcessor, SIGNALS_GROUP } from '../signals/signal-processor.service';
import { MarketEventProcessor, STOPS_GROUP } from '../stops/market-event-processor.service';

type SignalStreamEvent = StreamEventMap[typeof Streams.StrategySignals];
type MarketStreamEvent = StreamEventMap[typeof Streams.MarketData];

/**
 * The engine's two consumer groups, started only after open orders are reconciled (live balances are then
 * reconciled in the background): `trading-engine` on
 * events:strategy_signals (partitioned by bot, so one bot's signals are handled in order) and
 * `trading-engine-stops` on events:market_data (fills of paper orders, stops), partitioned by symbol.
 */
@Injectable()
export class EngineConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(EngineConsumers.name);
  private readonly servers: RedisStreamsServer[] = [];

  constructor(
    @Inject(SERVICE_CONFIG) private readonly config: TradingEngineEnv,
    private readonly ctx: EngineContext,
    private readonly reconciler: OpenOrderReconciler,
    private readonly balances: BalanceReconciler,
    private readonly signals: SignalProcessor,
    private readonly market: MarketEventProcessor,
    private readonly accounts: BotAccountRepository,
    private readonly api: TradingApiService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.reconciler.reconcile();
    this.balances.start();
    const base = {
      redisUrl: this.config.REDIS_URL,
      namespace: this.ctx.namespace,
      consumer: instanceName(this.config),
      claimIdleMs: this.config.STREAMS_CLAIM_IDLE_MS,
      shutdownTimeoutMs: Math.max(1000, this.config.SHUTDOWN_TIMEOUT_MS - 2000),
    };
    const signals = new RedisStreamsServer({ ...base, service: SIGNALS_GROUP, concurrency: this.config.SIGNAL_CONCURRENCY });
    signals.addHandler(Streams.StrategySignals, (event: SignalStreamEvent) => this.onSignalStream(event), true, {
      [PARTITION_KEY_EXTRA]: (event: SignalStreamEvent) => event.payload.botId,
    });
    signals.addHandler(Streams.Risk, (event: StreamEventMap[typeof Streams.Risk]) => this.onRiskEvent(event), true, {
      [PARTITION_KEY_EXTRA]: (event: StreamEventMap[typeof Streams.Risk]) => event.payload.scopeId ?? 'global',
    });
    const stops = new RedisStreamsServer({ ...base, service: STOPS_GROUP, concurrency: this.config.SIGNAL_CONCURRENCY });
    stops.addHandler(Streams.MarketData, (event: MarketStreamEvent) => this.market.handle(event), true, {
      [PARTITION_KEY_EXTRA]: (event: MarketStreamEvent) => `${event.payload.exchange}|${event.payload.symbol}`,
    });
    for (const server of [signals, stops]) {
      await new Promise<void>((resolve, reject) => server.listen((error?: unknown) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve())));
      this.servers.push(server);
    }
    this.logger.log({ msg: 'consuming signals, risk events and market data', groups: [SIGNALS_GROUP, STOPS_GROUP] });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.servers.map((s) => s.close()));
  }

  /**
   * A breach whose action is CLOSE_POSITIONS flattens the bot (scope bot), every bot of the user, or every bot
   * (global). Applied at least once: the processed_events row is written after the closing orders.
   */
  private async onRiskEvent(event: RiskLimitBreached.Event): Promise<void> {
    const p = event.payload;
    if (p.action !== 'CLOSE_POSITIONS') return;
    const seen: unknown[] = await this.ctx.dataSource.query(`SELECT 1 FROM trading.processed_events WHERE consumer_group = $1 AND event_id = $2`, [SIGNALS_GROUP, event.id]);
    if (seen.length) return;
    const bots =
      p.scope === 'bot' && p.scopeId
        ? [p.scopeId]
        : (await this.accounts.listAll()).filter((a) => p.scope === 'global' || a.userId === p.scopeId).map((a) => a.botId);
    for (const botId of bots) await this.api.closeBotPositions(botId, 'risk');
    await this.ctx.dataSource.query(`INSERT INTO trading.processed_events (consumer_group, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [SIGNALS_GROUP, event.id]);
    this.logger.warn({ msg: 'risk breach: positions closed', breachId: p.breachId, scope: p.scope, scopeId: p.scopeId, bots: bots.length });
  }

  private async onSignalStream(event: SignalStreamEvent): Promise<void> {
    if (event.type === SignalEmitted.TYPE) {
      await this.signals.handle(event);
      return;
    }
    if (event.type === BotStatusChanged.TYPE) {
      const p = event.payload;
      await this.ctx.botStatus.set(p.botId, p.status);
      await this.accounts.setStatus(p.botId, p.status);
      this.ctx.botSettings.forget(p.botId);
    }
  }
}

