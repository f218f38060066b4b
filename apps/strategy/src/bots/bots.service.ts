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
import Decimal from 'decimal.js';
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
  private readonly strategyTypes = new Map<string, string>();

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
      // Risk and analytics measure the bot against its capital: a new capital reaches them like a status change.
      if (!new Decimal(updated.initialCapital).eq(current.initialCapital)) {
        const status = toEventStatus(updated.status);
        await this.publishStatus(m, updated, updated.status, status, caller, 'capital_changed');
      }
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
    const types = new Map(await Promise.all([...new Set(page.items.map((row) => row.bot.strategyId))].map(async (id) => [id, await this.strategyTypeOf(id)] as const)));
    return { items: page.items.map(({ bot, state }) => toBotView(bot, types.get(bot.strategyId) ?? '', state)), next: encodeCursor(page.next) };
  }

  /** A strategy's type never changes once it is stored, so it is read once per strategy. */
  private async strategyTypeOf(strategyId: string): Promise<string> {
    const known = this.strategyTypes.get(strategyId);
    if (known !== undefined) return known;
    const type = (await this.strategies.findById(strategyId))?.strategyType;
    if (type === undefined) return '';
    if (this.strategyTypes.size >= 10_000) this.strategyTypes.clear();
    this.strategyTypes.set(strategyId, type);
    return type;
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
    const type = strategy?.strategyType ?? (await this.strategyTypeOf(bot.strategyId));
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
        initialCapital: new Decimal(bot.initialCapital).toFixed(),
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
