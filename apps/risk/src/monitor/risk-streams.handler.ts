import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { MarketCandleClosed, StreamEventMap, Streams } from '@trading/contracts';
import { OnStream, RedisStreamsContext } from '@trading/streams';
import { RiskMonitor } from './risk-monitor.service';

/**
 * Thin stream handlers of the consumer group `risk` (each entry handled by one instance): one call into the monitor
 * each, with the entry id the monitor waits for in this instance's book; acked when it resolves.
 */
@Controller()
export class RiskStreamsHandler {
  constructor(private readonly monitor: RiskMonitor) {}

  @OnStream(Streams.Trades, { partitionKey: (e) => e.payload.botId ?? e.payload.userId })
  onTrades(@Payload() event: StreamEventMap[typeof Streams.Trades], @Ctx() context: RedisStreamsContext): Promise<void> {
    return this.monitor.onTradesEvent(event, context.getEntryId());
  }

  @OnStream(Streams.MarketData, { partitionKey: (e) => `${e.payload.exchange}|${e.payload.symbol}` })
  onMarketData(@Payload() event: StreamEventMap[typeof Streams.MarketData], @Ctx() context: RedisStreamsContext): Promise<void> {
    const at = event.type === MarketCandleClosed.TYPE ? event.payload.closeTime : event.payload.time;
    return this.monitor.onMark(event.payload.exchange, event.payload.symbol, new Date(at), context.getEntryId());
  }

  @OnStream(Streams.StrategySignals, { partitionKey: (e) => e.payload.botId })
  onBotEvents(@Payload() event: StreamEventMap[typeof Streams.StrategySignals], @Ctx() context: RedisStreamsContext): Promise<void> {
    // Signals and status changes name the bot's owner (the limits RPC checks it); status changes carry its capital.
    return this.monitor.onBotEvent(event, context.getEntryId());
  }
}
