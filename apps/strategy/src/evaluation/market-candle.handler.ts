import { Controller } from '@nestjs/common';
import { isEvent, MarketCandleClosed, StreamEventMap, Streams } from '@trading/contracts';
import { OnStream } from '@trading/streams';
import { CandleEvaluationService } from './candle-evaluation.service';

/** events:market_data, group `strategy`: closed candles drive the bots; tickers are not ours. */
@Controller()
export class MarketCandleHandler {
  constructor(private readonly evaluation: CandleEvaluationService) {}

  @OnStream(Streams.MarketData, {
    // candles of one market in read order, never two at once in this instance
    partitionKey: (event) => (isEvent(event, MarketCandleClosed.TYPE) ? `${event.payload.exchange}|${event.payload.symbol}|${event.payload.timeframe}` : null),
  })
  async onMarketData(event: StreamEventMap[typeof Streams.MarketData]): Promise<void> {
    if (!isEvent(event, MarketCandleClosed.TYPE)) return;
    await this.evaluation.onCandleClosed(event);
  }
}
