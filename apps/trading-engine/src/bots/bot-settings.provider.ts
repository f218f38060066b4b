import { RpcCaller, RpcPatterns, StrategyBotView } from '@trading/contracts';
import { RpcClient, RpcRemoteError } from '@trading/streams';

/** What the engine needs of a bot; read from the strategy service (strategy.bots.get). */
export type BotSettings = Pick<
  StrategyBotView,
  | 'id'
  | 'userId'
  | 'exchange'
  | 'symbol'
  | 'mode'
  | 'marketType'
  | 'status'
  | 'initialCapital'
  | 'leverage'
  | 'sizingMode'
  | 'positionSizePct'
  | 'positionSizeFixed'
  | 'riskPerTradePct'
  | 'stopLossPct'
  | 'takeProfitPct'
  | 'trailingStopPct'
  | 'trailingStopActive'
  | 'strategy'
  | 'apiKeyId'
>;

export class BotSettingsUnavailableError extends Error {
  constructor(botId: string, detail: string) {
    super(`settings of bot ${botId} unavailable: ${detail}`);
    this.name = 'BotSettingsUnavailableError';
  }
}

/** Bot settings over RPC, reused for `cacheMs` (a bot's settings change rarely; its status comes from events). */
export class BotSettingsProvider {
  private readonly cache = new Map<string, { at: number; settings: BotSettings }>();

  constructor(
    private readonly rpc: RpcClient,
    private readonly timeoutMs: number,
    private readonly cacheMs: number,
  ) {}

  async get(botId: string, userId: string): Promise<BotSettings> {
    const hit = this.cache.get(botId);
    if (hit && Date.now() - hit.at < this.cacheMs) return hit.settings;
    try {
      const view = await this.rpc.send(RpcPatterns.StrategyBotsGet, { caller: { userId, role: 'trader' }, botId }, { timeoutMs: this.timeoutMs });
      if (!view || view.id !== botId || view.userId !== userId) throw new Error('strategy answered another bot');
      this.cache.set(botId, { at: Date.now(), settings: view });
      return view;
    } catch (error) {
      throw new BotSettingsUnavailableError(botId, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * The bot as the caller may see it (strategy enforces ownership: another user's bot is not found, an admin
   * sees all). Returns null when strategy answers not found.
   */
  async getFor(caller: RpcCaller, botId: string): Promise<BotSettings | null> {
    try {
      const view = await this.rpc.send(RpcPatterns.StrategyBotsGet, { caller, botId }, { timeoutMs: this.timeoutMs });
      this.cache.set(botId, { at: Date.now(), settings: view });
      return view;
    } catch (error) {
      if (error instanceof RpcRemoteError && error.status === 404) return null;
      throw new BotSettingsUnavailableError(botId, error instanceof Error ? error.message : String(error));
    }
  }

  forget(botId: string): void {
    this.cache.delete(botId);
  }
}
