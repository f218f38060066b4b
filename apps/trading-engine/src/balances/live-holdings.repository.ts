import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** A live bot and the exchange account its holdings sit on. */
export interface LiveBotAccount {
  readonly botId: string;
  readonly userId: string;
  readonly exchange: string;
  readonly status: string;
  readonly quoteCurrency: string;
  /** The key of the bot's newest live order: what it bought sits on that key's account. */
  readonly apiKeyId: string;
}

/** What live bots hold by the ledger, read for the comparison with their exchange accounts. */
@Injectable()
export class LiveHoldingsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Every live bot that has sent an order, with the key of its newest live order (one index range per bot,
   * idx_orders_bot_time). A bot that never ordered holds only its quote budget, which is not compared.
   */
  async liveBots(): Promise<LiveBotAccount[]> {
    const rows: { bot_id: string; user_id: string; exchange: string; status: string; quote_currency: string; api_key_id: string }[] =
      await this.dataSource.query(
        `SELECT a.bot_id, a.user_id, a.exchange, a.status, a.quote_currency, k.api_key_id
           FROM trading.bot_accounts a
           CROSS JOIN LATERAL (
             SELECT o.order_metadata->>'apiKeyId' AS api_key_id
               FROM trading.orders o
              WHERE o.bot_id = a.bot_id AND o.mode = 'live' AND o.order_metadata ? 'apiKeyId'
              ORDER BY o.created_at DESC, o.id DESC
              LIMIT 1) k
          WHERE a.mode = 'live'
          ORDER BY a.bot_id`,
      );
    return rows.map((r) => ({
      botId: r.bot_id,
      userId: r.user_id,
      exchange: r.exchange,
      status: r.status,
      quoteCurrency: r.quote_currency,
      apiKeyId: r.api_key_id,
    }));
  }

  /** Per asset, what the bots hold (free + locked), each bot's quote currency left out: its cash is a budget. */
  async heldByAsset(botIds: readonly string[]): Promise<Map<string, string>> {
    const rows: { currency: string; held: string }[] = await this.dataSource.query(
      `SELECT b.currency, SUM(b.free + b.locked)::text AS held
         FROM trading.balances b
         JOIN trading.bot_accounts a ON a.bot_id = b.bot_id
        WHERE b.bot_id = ANY($1) AND b.currency <> a.quote_currency
        GROUP BY b.currency`,
      [botIds],
    );
    return new Map(rows.map((r) => [r.currency, r.held]));
  }

  /** The symbols of the bots' open live positions (their pairs' lot steps bound the rounding). */
  async openSymbols(botIds: readonly string[]): Promise<string[]> {
    const rows: { symbol: string }[] = await this.dataSource.query(
      `SELECT DISTINCT symbol FROM trading.positions WHERE bot_id = ANY($1) AND mode = 'live' AND status = 'open' ORDER BY symbol`,
      [botIds],
    );
    return rows.map((r) => r.symbol);
  }
}
