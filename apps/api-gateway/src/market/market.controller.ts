import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { MarketCandlesRange, MarketPairsList, MarketTickersList, RpcPatterns } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { CandlePageDto, CandlesQuery, MarketFilterQuery, PairListDto, TickerFilterQuery, TickerListDto } from './market.dto';

/** Market information from the market-data service: the same for every signed-in user. */
@ApiTags('market')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('market')
export class MarketController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('pairs')
  @ApiOperation({ summary: 'Trading pairs with their precision, size limits and fees' })
  @ApiResponse({ status: 200, type: PairListDto })
  pairs(@Query() query: MarketFilterQuery): Promise<MarketPairsList.Response> {
    return this.rpc.send(RpcPatterns.MarketPairsList, { exchange: query.exchange });
  }

  @Get('tickers')
  @ApiOperation({ summary: 'Latest ticker per market' })
  @ApiResponse({ status: 200, type: TickerListDto })
  tickers(@Query() query: TickerFilterQuery): Promise<MarketTickersList.Response> {
    return this.rpc.send(RpcPatterns.MarketTickersList, { exchange: query.exchange, symbol: query.symbol });
  }

  @Get('candles')
  @ApiOperation({ summary: 'Stored closed candles in [from, to), oldest first, cursor-paginated' })
  @ApiResponse({ status: 200, type: CandlePageDto })
  @ApiResponse({ status: 400, type: ErrorBodyDto })
  candles(@Query() query: CandlesQuery): Promise<MarketCandlesRange.Response> {
    return this.rpc.send(RpcPatterns.MarketCandlesRange, { ...query });
  }
}
