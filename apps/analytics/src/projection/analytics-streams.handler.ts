import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BotStatusChanged, OrderRejected, StreamEventMap, Streams, TradeExecuted } from '@trading/contracts';
import { OnStream } from '@trading/streams';
import { AnalyticsProjector } from './analytics-projector.service';

/** Thin stream handlers (group "analytics"): decode, one call into the projector, ack. */
@Controller()
export class AnalyticsStreamsHandler {
  constructor(private readonly projector: AnalyticsProjector) {}

  /** Per bot in order, so a bot's equity curve and metrics are computed over a consistent history. */
  @OnStream(Streams.Trades, { partitionKey: (e) => e.payload.botId ?? e.payload.userId })
  async onTrades(@Payload() event: StreamEventMap[typeof Streams.Trades]): Promise<void> {
    if (event.type === TradeExecuted.TYPE) await this.projector.onTradeExecuted(event);
    else await this.projector.onPositionChanged(event);
  }

  @OnStream(Streams.Orders)
  async onOrders(@Payload() event: StreamEventMap[typeof Streams.Orders]): Promise<void> {
    if (event.type === OrderRejected.TYPE) await this.projector.onOrderRejected(event);
  }

  @OnStream(Streams.Audit)
  onAudit(@Payload() event: StreamEventMap[typeof Streams.Audit]): Promise<void> {
    return this.projector.onAuditRecorded(event);
  }

  @OnStream(Streams.Risk)
  onRisk(@Payload() event: StreamEventMap[typeof Streams.Risk]): Promise<void> {
    return this.projector.onRiskLimitBreached(event);
  }

  @OnStream(Streams.StrategySignals, { partitionKey: (e) => e.payload.botId })
  async onBots(@Payload() event: StreamEventMap[typeof Streams.StrategySignals]): Promise<void> {
    if (event.type === BotStatusChanged.TYPE) await this.projector.onBotStatusChanged(event);
    else await this.projector.onSignalEmitted(event);
  }
}
