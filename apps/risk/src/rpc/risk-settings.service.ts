import { Injectable } from '@nestjs/common';
import {
  RiskLimitBreached,
  RiskLimitView,
  RiskLimitsDelete,
  RiskLimitsList,
  RiskLimitsSet,
  RiskTradingStateGet,
  RiskTradingStateSet,
  Streams,
  createEvent,
} from '@trading/contracts';
import { OutboxWriter, RpcDomainError } from '@trading/streams';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { RiskBookHolder, ruleOf } from '../book/risk-book.provider';
import { RiskLimitEntity } from '../limits/risk-limit.entity';
import { RiskLimitRepository } from '../limits/risk-limit.repository';
import { RiskEventRepository } from '../risk-events/risk-event.repository';
import { RiskSettingsSync } from '../settings/risk-settings-sync';
import { TradingStateRepository } from '../trading-state/trading-state.repository';
import { assertScopeAccess } from './scope-access';

const STATE_ACTION = { ACTIVE: 'ALERT', REDUCING: 'REDUCE_ONLY', HALTED: 'HALT' } as const;

function limitView(l: RiskLimitEntity): RiskLimitView {
  return {
    id: l.id,
    scope: l.scope,
    scopeId: l.scopeId,
    limitType: l.limitType,
    value: l.value,
    actionOnBreach: l.actionOnBreach,
    warnAtPcts: l.warnAtPcts.map(Number),
    isActive: l.isActive,
    description: l.description,
    updatedAt: l.updatedAt.toISOString(),
  };
}

/**
 * Limits CRUD and the trading state (kill switch), for the gateway; every committed change updates this instance's
 * book at once and the other instances' through RiskSettingsSync.
 */
@Injectable()
export class RiskSettingsService {
  private readonly outbox = new OutboxWriter({ schema: 'risk' });

  constructor(
    private readonly holder: RiskBookHolder,
    private readonly dataSource: DataSource,
    private readonly limits: RiskLimitRepository,
    private readonly states: TradingStateRepository,
    private readonly riskEvents: RiskEventRepository,
    private readonly sync: RiskSettingsSync,
  ) {}

  async listLimits(request: RiskLimitsList.Request): Promise<RiskLimitsList.Response> {
    const scopeId = request.scopeId ?? null;
    assertScopeAccess(this.holder.book, request.caller, request.scope, scopeId, false);
    return { items: (await this.limits.listByScope(request.scope, scopeId)).map(limitView) };
  }

  async setLimit(request: RiskLimitsSet.Request): Promise<RiskLimitsSet.Response> {
    const scopeId = request.scopeId ?? null;
    assertScopeAccess(this.holder.book, request.caller, request.scope, scopeId, true);
    const limit = await this.limits.set({
      scope: request.scope,
      scopeId,
      limitType: request.limitType,
      value: request.value,
      actionOnBreach: request.actionOnBreach,
      warnAtPcts: request.warnAtPcts,
      isActive: request.isActive,
      description: request.description ?? null,
      updatedBy: request.caller.userId,
    });
    this.sync.applyCommitted(() => {
      if (limit.isActive) this.holder.book.putLimit(ruleOf(limit));
      else this.holder.book.removeLimit(limit.id);
    });
    return limitView(limit);
  }

  async deleteLimit(request: RiskLimitsDelete.Request): Promise<RiskLimitsDelete.Response> {
    const limit = await this.limits.findById(request.limitId);
    if (!limit) throw new RpcDomainError(404, 'LIMIT_NOT_FOUND', `limit ${request.limitId} not found`);
    try {
      assertScopeAccess(this.holder.book, request.caller, limit.scope, limit.scopeId, true);
    } catch (error) {
      // Another user's limit does not exist for the caller.
      if (error instanceof RpcDomainError && error.status === 404) throw new RpcDomainError(404, 'LIMIT_NOT_FOUND', `limit ${request.limitId} not found`);
      throw error;
    }
    await this.limits.delete(limit.id);
    this.sync.applyCommitted(() => this.holder.book.removeLimit(limit.id));
    return { deleted: true };
  }

  async getState(request: RiskTradingStateGet.Request): Promise<RiskTradingStateGet.Response> {
    const scopeId = request.scopeId ?? null;
    assertScopeAccess(this.holder.book, request.caller, request.scope, scopeId, false);
    const row = await this.states.find(request.scope, scopeId);
    return row
      ? { scope: row.scope, scopeId: row.scopeId, state: row.state, reason: row.reason, changedBy: row.changedBy, changedAt: row.changedAt.toISOString() }
      : { scope: request.scope, scopeId, state: 'ACTIVE', reason: null, changedBy: null, changedAt: null };
  }

  /** Persists the state and announces it on events:risk (KILL_SWITCH) in one transaction. */
  async setState(request: RiskTradingStateSet.Request): Promise<RiskTradingStateSet.Response> {
    const scopeId = request.scopeId ?? null;
    assertScopeAccess(this.holder.book, request.caller, request.scope, scopeId, true);
    const previous = this.holder.book.stateOf(request.scope, scopeId);
    const row = await this.dataSource.transaction(async (m) => {
      const saved = await this.states.set({ scope: request.scope, scopeId, state: request.state, reason: request.reason, changedBy: request.caller.userId }, m);
      if (request.state === 'ACTIVE') await this.riskEvents.rearm(request.scope, scopeId, m);
      if (previous !== request.state) {
        const userId = request.scope === 'user' ? scopeId : request.scope === 'bot' && scopeId ? (this.holder.book.ownerOf(scopeId) ?? null) : null;
        const message = `${request.scope} trading state ${previous} -> ${request.state} by ${request.caller.userId}${request.reason ? `: ${request.reason}` : ''}`;
        await this.outbox.add(
          m,
          Streams.Risk,
          createEvent(
            RiskLimitBreached.TYPE,
            {
              breachId: v7(),
              scope: request.scope,
              scopeId,
              userId,
              limitType: 'KILL_SWITCH',
              current: '0',
              limit: '0',
              action: STATE_ACTION[request.state],
              state: request.state,
              message: message.slice(0, 500),
              breachedAt: saved.changedAt.toISOString(),
            },
            { source: 'risk' },
          ),
        );
      }
      return saved;
    });
    // ACTIVE re-arms the scope's crossings: a renewed breach halts it again.
    this.sync.applyCommitted(() => this.holder.book.setState(request.scope, scopeId, request.state), request.state === 'ACTIVE' ? { scope: request.scope, scopeId } : undefined);
    return { scope: row.scope, scopeId: row.scopeId, state: row.state, reason: row.reason, changedBy: row.changedBy, changedAt: row.changedAt.toISOString() };
  }
}
