import { LiveBotAccount } from '../balances/live-holdings.repository';
import { liveAccounts } from './balance-reconciler';

const bot = (botId: string, apiKeyId: string, status: string, userId = 'user-1', exchange = 'binance'): LiveBotAccount => ({
  botId,
  userId,
  exchange,
  status,
  quoteCurrency: 'USDT',
  apiKeyId,
});

describe('which exchange accounts are checked', () => {
  it('groups live bots by user, exchange and key; checks an account with a running bot, with every bot holding on it', () => {
    const accounts = liveAccounts([
      bot('a', 'key-1', 'running'),
      // stopped, but its coins still sit on key-1's account: part of the ledger compared
      bot('b', 'key-1', 'stopped'),
      // only paused and stopped bots on key-2: nothing trades there, not checked
      bot('c', 'key-2', 'paused'),
      bot('d', 'key-2', 'stopped'),
      // the same key id under another exchange is another account
      bot('e', 'key-1', 'running', 'user-1', 'kraken'),
    ]);
    expect(accounts.map((a) => ({ exchange: a.exchange, apiKeyId: a.apiKeyId, bots: a.bots.map((b) => b.botId) }))).toEqual([
      { exchange: 'binance', apiKeyId: 'key-1', bots: ['a', 'b'] },
      { exchange: 'kraken', apiKeyId: 'key-1', bots: ['e'] },
    ]);
  });

  it('checks nothing when no live bot has traded', () => {
    expect(liveAccounts([])).toEqual([]);
  });
});
