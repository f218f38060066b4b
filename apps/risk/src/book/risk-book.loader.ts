import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { BotAccountRepository } from '../accounts/bot-account.repository';
import { BookFeed } from '../feed/book-feed';
import { RiskSettingsSync } from '../settings/risk-settings-sync';
import { positionKey } from './bot-account';
import { RiskBookHolder } from './risk-book.provider';

/**
 * Builds this instance's book before it consumes or answers anything (main.ts initialises the app before the
 * transports start): limits and states, then the feed's start cursors, then the accounts, then the stream entries
 * from those cursors to the streams' ends. Stops the feed and the sync after the transports closed.
 */
@Injectable()
export class RiskBookLoader implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RiskBookLoader.name);

  constructor(
    private readonly holder: RiskBookHolder,
    private readonly accounts: BotAccountRepository,
    private readonly feed: BookFeed,
    private readonly sync: RiskSettingsSync,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.sync.start();
    // The cursors first: every entry before them is in the accounts loaded next (see BookFeed.startCursors).
    const cursors = await this.feed.startCursors();
    const accounts = await this.accounts.loadAll();
    for (const account of accounts) {
      this.holder.book.putAccount(account);
      for (const p of account.positions.values()) if (p.markPrice) this.holder.marks.set(positionKey(p.exchange, p.symbol), p.markPrice);
    }
    await this.feed.start(cursors);
    this.logger.log({ msg: 'risk book rebuilt', ...this.sync.snapshot(), bots: this.holder.book.accountCount, from: cursors, feed: this.feed.snapshot() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed.stop();
    await this.sync.stop();
  }
}
