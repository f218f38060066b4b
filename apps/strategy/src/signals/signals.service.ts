import { Injectable } from '@nestjs/common';
import { CursorPage, StrategySignalsList, StrategySignalView } from '@trading/contracts';
import { isAdmin } from '../bots/bot-view.mapper';
import { BotsService } from '../bots/bots.service';
import { decodeCursor, encodeCursor } from '../database/cursor-codec';
import { SignalEntity } from './signal.entity';
import { SignalRepository } from './signal.repository';

@Injectable()
export class SignalsService {
  constructor(
    private readonly signals: SignalRepository,
    private readonly bots: BotsService,
  ) {}

  /** One bot's signals (newest candle first) or the caller's (everyone's for an admin), newest first. */
  async list(request: StrategySignalsList.Request): Promise<CursorPage<StrategySignalView>> {
    const options = { after: decodeCursor(request.cursor), limit: request.limit };
    let page;
    if (request.botId) {
      await this.bots.owned(request.botId, request.caller);
      page = await this.signals.listByBot(request.botId, options);
    } else {
      page = isAdmin(request.caller) ? await this.signals.listAll(options) : await this.signals.listByUser(request.caller.userId, options);
    }
    return { items: page.items.map(toSignalView), next: encodeCursor(page.next) };
  }
}

export function toSignalView(s: SignalEntity): StrategySignalView {
  return {
    id: s.id,
    botId: s.botId,
    userId: s.userId,
    strategy: s.strategy,
    exchange: s.exchange,
    symbol: s.symbol,
    timeframe: s.timeframe,
    candleTime: s.candleTime.toISOString(),
    signalType: s.signalType,
    target: s.target,
    price: s.price,
    reason: s.notes,
    indicators: s.indicators,
    passedFilters: s.passedFilters,
    rejected: s.rejected,
    rejectionReason: s.rejectionReason,
    executed: s.executed,
    outcome: s.outcome,
    createdAt: s.createdAt.toISOString(),
  };
}
