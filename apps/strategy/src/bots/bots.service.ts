import { Injectable } from '@nestjs/common';
import {
  BotStatusChanged,
  createEvent,
  CursorPage,
  RpcCaller,
  StrategyBotsCreate,
  StrategyBotsList,
  StrategyBotsUpdate,
  StrategyBotView,
  BotConfigurationView,
  Streams,
} from '@trading/contracts';
import { getStrategy } from '@trading/strategies';
import { OutboxWriter } from '@trading/streams';
import { DataSource, EntityManager } from 'typeorm';
import { decodeCursor, encodeCursor } from '../database/cursor-codec';
import { ConflictError, NotFoundError } from '../errors/strategy-domain.error';
import { StrategyEntity } from '../strategies/strategy.entity';
import { StrategyRepository } from '../strategies/strategy.repository';
import { BotConfigurationRepository } from './bot-configuration.repository';
import { BotStateRepository } from './bot-state.repository';
import { isAdmin, toBotView, toConfigurationView, toEventStatus } from './bot-view.mapper';
import { BotEntity, BotStatus } from './bot.entity';
import { BotRepository, configurationSnapshot, NewBot } from './bot.repository';

type StatusCommand = 'start' | 'stop' | 'pause' | 'archive';

const TRANSITIONS: Record<StatusCommand, { to: BotStatus; from: readonly BotStatus[] }> = {
  start: { to: 'running', from: ['stopped', 'paused', 'error'] },
  stop: { to: 'stopped', from: ['running', 'paused', 'error'] },
  pause: { to: 'paused', from: ['running'] },
  archive: { to: 'archived', from: ['stopped', 'running', 'paused', 'error'] },
};

/** Bot use cases: every write validates its input, runs in one transaction, and status changes go out through the outbox. */
@Injectable()
export class BotsService {
  private readonly outbox = new OutboxWriter({ schema: 'strategy' });

  constructor(
    private readonly dataSource: DataSource,
    private readonly bots: BotRepository,
    private readonly states: BotStateRepository,
    private readonly configurations: BotConfigurationRepository,
    private readonly strategies: StrategyRepository,
  ) {}

  async create(request: StrategyBotsCreate.Request): Promise<StrategyBotView> {
    const { caller, strategyId, strategyParams, ...settings } = request;
    const strategy = await this.usableStrategy(strategyId, caller);
    const params = parseParams(strategy, strategyParams);
    const bot = await this.dataSource.transaction(async (m) => {
      const input = { ...definedOnly(settings), userId: caller.userId, strategyId, strategyParams: params } as NewBot;
      const created = await this.bots.create(input, caller.userId, m);
      await this.publishStatus(m, created, null, 'created', caller, 'created');
      return created;
    });
    return this.view(bot, strategy);
  }

  async update(request: StrategyBotsUpdate.Request): Promise<StrategyBotView> {
    const { caller, botId, changeReason, ...patch } = request;
    await this.owned(botId, caller);
    const bot = await this.dataSource.transaction(async (m) => {
      const current = await this.bots.lockForUpdate(botId, m);
      if (!current) throw new NotFoundError('BOT', botId);
      if (current.status === 'archived') throw new ConflictError('BOT_ARCHIVED', 'an archived bot cannot be changed');
      const strategy = await m.getRepository(StrategyEntity).findOneByOrFail({ id: current.strategyId });
      const changes = definedOnly(patch) as Partial<BotEntity>;
      if (patch.strategyParams !== undefined) changes.strategyParams = parseParams(strategy, { ...current.strategyParams, ...patch.strategyParams });
      const at = new Date();
      const updated = await this.bots.applySettings(botId, changes, at, m);
      await this.configurations.append(botId, configurationSnapshot(updated), { changeReason: changeReason ?? 'updated', createdBy: caller.userId, at }, m);
      return updated;
    });
    return this.view(bot);
  }

  async get(botId: string, caller: RpcCaller): Promise<StrategyBotView> {
    return this.view(await this.owned(botId, caller));
  }

  async list(request: StrategyBotsList.Request): Promise<CursorPage<StrategyBotView>> {
    const page = await this.bots.listPage({
      userId: isAdmin(request.caller) ? undefined : request.caller.userId,
      after: decodeCursor(request.cursor),
      limit: request.limit,
      status: request.status,
      includeArchived: request.includeArchived,
    });
    const states = new Map((await this.states.getMany(page.items.map((b) => b.id))).map((s) => [s.botId, s]));
    const types = new Map<string, string>();
    for (const id of new Set(page.items.map((b) => b.strategyId))) types.set(id, (await this.strategies.findById(id))?.strategyType ?? '');
    return { items: page.items.map((b) => toBotView(b, types.get(b.strategyId) ?? '', states.get(b.id) ?? null)), next: encodeCursor(page.next) };
  }

  async configurationHistory(botId: string, caller: RpcCaller): Promise<{ items: BotConfigurationView[] }> {
    await this.owned(botId, caller);
    return { items: (await this.configurations.history(botId)).map(toConfigurationView) };
  }

  /** start / stop / pause / archive. Asking for the status the bot already has changes nothing. */
  async changeStatus(command: StatusCommand, botId: string, caller: RpcCaller): Promise<StrategyBotView> {
    await this.owned(botId, caller);
    const { to, from } = TRANSITIONS[command];
    const bot = await this.dataSource.transaction(async (m) => {
      const current = await this.bots.lockForUpdate(botId, m);
      if (!current) throw new NotFoundError('BOT', botId);
      if (current.status === to) return current;
      if (!from.includes(current.status)) throw new ConflictError('INVALID_BOT_STATUS', `cannot ${command} a bot that is ${current.status}`);
      const at = new Date();
      await this.bots.setStatus(botId, to, at, m);
      if (to === 'running') await this.states.forgetLastCandle(botId, m);
      const updated = await m.getRepository(BotEntity).findOneByOrFail({ id: botId });
      await this.publishStatus(m, updated, current.status, toEventStatus(to), caller, command === 'archive' ? 'archived' : null);
      return updated;
    });
    return this.view(bot);
  }

  /** The bot if the caller may see it (owner or admin); anything else is "not found". */
  async owned(botId: string, caller: RpcCaller): Promise<BotEntity> {
    const bot = isAdmin(caller) ? await this.bots.findById(botId) : await this.bots.findByIdForUser(botId, caller.userId);
    if (!bot) throw new NotFoundError('BOT', botId);
    return bot;
  }

  private async usableStrategy(strategyId: string, caller: RpcCaller): Promise<StrategyEntity> {
    const strategy = isAdmin(caller) ? await this.strategies.findById(strategyId) : await this.strategies.findUsableBy(strategyId, caller.userId);
    if (!strategy) throw new NotFoundError('STRATEGY', strategyId);
    return strategy;
  }

  private async view(bot: BotEntity, strategy?: StrategyEntity): Promise<StrategyBotView> {
    const type = strategy?.strategyType ?? (await this.strategies.findById(bot.strategyId))?.strategyType ?? '';
    return toBotView(bot, type, await this.states.get(bot.id));
  }

  private async publishStatus(
    m: EntityManager,
    bot: BotEntity,
    previous: BotStatus | null,
    status: BotStatusChanged.Payload['status'],
    caller: RpcCaller,
    reason: string | null,
  ): Promise<void> {
    const event = createEvent(
      BotStatusChanged.TYPE,
      {
        botId: bot.id,
        userId: bot.userId,
        previousStatus: previous === null ? null : toEventStatus(previous),
        status,
        mode: bot.mode === 'live' ? 'live' : 'paper',
        changedBy: caller.userId === bot.userId || caller.role !== 'admin' ? 'user' : 'system',
        reason,
        changedAt: new Date().toISOString(),
      },
      { source: 'strategy' },
    );
    await this.outbox.add(m, Streams.StrategySignals, event);
  }
}

/** The strategy's defaults overlaid with the given params, validated (InvalidStrategyParamsError lists every problem). */
function parseParams(strategy: StrategyEntity, params: Record<string, unknown> | undefined): Record<string, unknown> {
  return { ...(getStrategy(strategy.strategyType).parseParams({ ...strategy.parameters, ...params }) as Record<string, unknown>) };
}

/** Request classes define every declared field; only the ones the caller sent are settings. */
function definedOnly<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>;
}
