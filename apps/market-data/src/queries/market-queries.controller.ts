import { Payload } from '@nestjs/microservices';
import { MarketCandlesRange, MarketPairsList, MarketTickersList } from '@trading/contracts';
import { RpcController, RpcDomainError, RpcHandler } from '@trading/streams';
import { CandleRepository } from '../candles/candle.repository';
import { TradingPairRepository } from '../pairs/trading-pair.repository';
import { TickerRepository } from '../tickers/ticker.repository';

/** Read-only market queries answered over RPC (the gateway exposes them; other services use them). */
@RpcController()
export class MarketQueriesController {
  constructor(
    private readonly candles: CandleRepository,
    private readonly pairs: TradingPairRepository,
    private readonly tickers: TickerRepository,
  ) {}

  @RpcHandler('market.candles.range')
  async candleRange(@Payload() request: MarketCandlesRange.Request): Promise<MarketCandlesRange.Response> {
    const from = new Date(request.from);
    const to = new Date(request.to);
    if (!(from < to)) throw new RpcDomainError(400, 'INVALID_RANGE', '"from" must be before "to"');
    const after = request.cursor === undefined ? undefined : new Date(request.cursor);
    if (after && Number.isNaN(after.getTime())) throw new RpcDomainError(400, 'INVALID_CURSOR', 'cursor is not one returned by a previous page');
    const page = await this.candles.findRange({ exchange: request.exchange, symbol: request.symbol, timeframe: request.timeframe, from, to, after, limit: request.limit ?? 1000 });
    return {
      items: page.items.map((c) => ({ openTime: c.openTime.toISOString(), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume })),
      next: page.next ? page.next.toISOString() : null,
    };
  }

  @RpcHandler('market.pairs.list')
  async pairList(@Payload() request: MarketPairsList.Request): Promise<MarketPairsList.Response> {
    const rows = await this.pairs.list(request.exchange);
    return {
      items: rows.map((p) => ({
        exchange: p.exchange,
        symbol: p.symbol,
        base: p.base,
        quote: p.quote,
        tickSize: p.tickSize,
        stepSize: p.stepSize,
        minOrderSize: p.minOrderSize,
        maxOrderSize: p.maxOrderSize,
        minNotional: p.minNotional,
        makerFee: p.makerFee,
        takerFee: p.takerFee,
        isActive: p.isActive,
      })),
    };
  }

  @RpcHandler('market.tickers.list')
  async tickerList(@Payload() request: MarketTickersList.Request): Promise<MarketTickersList.Response> {
    const rows = await this.tickers.list(request.exchange, request.symbol);
    return { items: rows.map((t) => ({ exchange: t.exchange, symbol: t.symbol, last: t.last, bid: t.bid, ask: t.ask, baseVolume: t.baseVolume, time: t.time.toISOString() })) };
  }
}
