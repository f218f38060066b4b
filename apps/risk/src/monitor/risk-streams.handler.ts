import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { BotStatusChanged, MarketCandleClosed, StreamEventMap, Streams } from '@trading/contracts';
import { OnStream } from '@trading/streams';
import Decimal from 'decimal.js';
import { RiskMonitor } from './risk-monitor.service';

/** Thin stream handlers: one call into the monitor each; acked when it resolves. */
@Controller()
export class RiskStreamsHandler {
  constructor(private readonly monitor: RiskMonitor) {}

  @OnStream(Streams.Trades, { partitionKey: (e) => e.payload.botId ?? e.payload.userId })
  onTrades(@Payload() event: StreamEventMap[typeof Streams.Trades]): Promise<void> {
    return this.monitor.onTradesEvent(event);
  }

  @OnStream(Streams.MarketData, { partitionKey: (e) => `${e.payload.exchange}|${e.payload.symbol}` })
  async onMarketData(@Payload() event: StreamEventMap[typeof Streams.MarketData]): Promise<void> {
    if (event.type === MarketCandleClosed.TYPE) {
      await this.monitor.onMark(event.payload.exchange, event.payload.symbol, new Decimal(event.payload.close), new Date(event.payload.closeTime));
    } else {
      await this.monitor.onMark(event.payload.exchange, event.payload.symbol, new Decimal(event.payload.last), new Date(event.payload.time));
    }
  }

  @OnStream(Streams.StrategySignals, { partitionKey: (e) => e.payload.botId })
  async onBotEvents(@Payload() event: StreamEventMap[typeof Streams.StrategySignals]): Promise<void> {
    // Signals and status changes both name the bot's owner, which the limits RPC checks against.
    const at = event.type === BotStatusChanged.TYPE ? event.payload.changedAt : event.occurredAt;
    await this.monitor.onBotSeen(event.payload.botId, event.payload.userId, new Date(at));
  }
}
