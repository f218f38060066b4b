import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import Decimal from 'decimal.js';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { RiskLimitEntity } from '../limits/risk-limit.entity';
import { RiskLimitRepository } from '../limits/risk-limit.repository';
import { TradingStateRepository } from '../trading-state/trading-state.repository';
import { positionKey } from './bot-account';
import { LimitRule, RiskBook } from './risk-book';
import { CheckLatency } from './check-latency';

export function ruleOf(limit: RiskLimitEntity): LimitRule {
  return {
    id: limit.id,
    scope: limit.scope,
    scopeId: limit.scopeId,
    limitType: limit.limitType,
    value: new Decimal(limit.value),
    action: limit.actionOnBreach,
    warnAtPcts: limit.warnAtPcts.map(Number),
  };
}

/**
 * The in-memory book and the latest marks, rebuilt from the risk schema when the service starts (before the
 * consumers and RPC handlers run) and kept current by them afterwards.
 */
@Injectable()
export class RiskBookHolder implements OnModuleInit {
  private readonly logger = new Logger(RiskBookHolder.name);
  readonly book: RiskBook;
  readonly marks = new Map<string, Decimal>();
  readonly latency = new CheckLatency();

  constructor(
    defaultStartingEquity: Decimal,
    private readonly limits: RiskLimitRepository,
    private readonly states: TradingStateRepository,
    private readonly accounts: BotAccountRepository,
  ) {
    this.book = new RiskBook(defaultStartingEquity);
  }

  async onModuleInit(): Promise<void> {
    const [limits, states, accounts] = await Promise.all([this.limits.listActive(), this.states.listRestricted(), this.accounts.loadAll()]);
    for (const limit of limits) this.book.putLimit(ruleOf(limit));
    for (const s of states) this.book.setState(s.scope, s.scopeId, s.state);
    for (const account of accounts) {
      this.book.putAccount(account);
      for (const p of account.positions.values()) if (p.markPrice) this.marks.set(positionKey(p.exchange, p.symbol), p.markPrice);
    }
    this.logger.log({ limits: limits.length, restrictedScopes: states.length, bots: accounts.length }, 'risk book rebuilt');
  }
}
