import Decimal from 'decimal.js';
import type { RiskPreTradeCheck } from '@trading/contracts';
import { BotAccount, applyPosition, applyTrade, newAccount } from '../book/bot-account';
import { RiskBook } from '../book/risk-book';
import type { LimitType } from '../limits/risk-limit.entity';
import { preTradeCheck } from './pre-trade-check';

const BOT = '0193a000-0000-7000-8000-000000000001';
const OTHER_BOT = '0193a000-0000-7000-8000-000000000002';
const USER = '0193a000-0000-7000-8000-0000000000aa';
const NOW = new Date('2026-11-20T12:00:00.000Z');
const d = (v: string | number) => new Decimal(v);

/** A bot with 10 000 capital holding 0.1 BTC long at 20 000 (value 2 000) and, on ETH, 1 ETH long at 1 000. */
function bookWithPositions(): RiskBook {
  const book = new RiskBook(d(10_000));
  let account: BotAccount = newAccount(BOT, USER, d(10_000), new Date('2026-11-20T00:00:00.000Z'));
  const at = new Date('2026-11-20T01:00:00.000Z');
  account = applyPosition(account, { exchange: 'paper', symbol: 'BTC/USDT', side: 'long', quantity: d('0.1'), avgEntryPrice: d(20_000), markPrice: d(20_000), unrealizedPnl: d(0), changedAt: at });
  account = applyPosition(account, { exchange: 'paper', symbol: 'ETH/USDT', side: 'long', quantity: d(1), avgEntryPrice: d(1_000), markPrice: d(1_000), unrealizedPnl: d(0), changedAt: at });
  book.putAccount(account);
  return book;
}

function order(overrides: Partial<RiskPreTradeCheck.Request> = {}): RiskPreTradeCheck.Request {
  return { botId: BOT, userId: USER, exchange: 'paper', symbol: 'BTC/USDT', side: 'buy', orderType: 'market', quantity: '0.1', price: '20000', ...overrides };
}

function limit(book: RiskBook, limitType: LimitType, value: string, scope: 'bot' | 'user' | 'global' = 'bot'): void {
  book.putLimit({ id: `${scope}-${limitType}`, scope, scopeId: scope === 'bot' ? BOT : scope === 'user' ? USER : null, limitType, value: d(value), action: 'halt', warnAtPcts: [80, 95] });
}

/** The bot realises `pnl` today (losses move equity, and count as trades). */
function realise(book: RiskBook, pnl: string, trades = 1, at = new Date('2026-11-20T10:00:00.000Z')): void {
  let account = book.account(BOT)!;
  for (let i = 0; i < trades; i++) account = applyTrade(account, { realizedPnl: i === 0 ? d(pnl) : d(0), executedAt: at });
  book.putAccount(account);
}

describe('pre-trade check: each limit at its boundary', () => {
  // Worked by hand: equity 10 000; BTC 0.1 @ 20 000 = 2 000; ETH 1 @ 1 000 = 1 000; exposure 3 000; 2 open positions.
  // Buying 0.1 BTC more @ 20 000 makes the BTC position 4 000 (40 % of equity), exposure 5 000 (leverage 0.5).
  const cases: { limitType: LimitType; atLimit: string; overLimit: string; setup?: (book: RiskBook) => void; request?: Partial<RiskPreTradeCheck.Request>; reason: string }[] = [
    { limitType: 'max_position_size', atLimit: '4000', overLimit: '3999.99999999', reason: 'MAX_POSITION_SIZE' },
    { limitType: 'max_position_pct', atLimit: '40', overLimit: '39.99999999', reason: 'MAX_POSITION_PCT' },
    { limitType: 'max_exposure', atLimit: '5000', overLimit: '4999.99999999', reason: 'MAX_EXPOSURE' },
    { limitType: 'max_leverage', atLimit: '0.5', overLimit: '0.49999999', reason: 'MAX_LEVERAGE' },
    // A third position (SOL): 3 open after the order.
    { limitType: 'max_open_positions', atLimit: '3', overLimit: '2', request: { symbol: 'SOL/USDT', quantity: '1', price: '100' }, reason: 'MAX_OPEN_POSITIONS' },
    // 4 trades today: the 5th is allowed with a limit of 5, denied with 4.
    { limitType: 'max_trades_per_day', atLimit: '5', overLimit: '4', setup: (b) => realise(b, '0', 4), reason: 'MAX_TRADES_PER_DAY' },
    // Lost 250 of 10 000 today = 2.5 %: a 2.5 % limit is reached (denied), 2.50000001 % not yet.
    { limitType: 'max_daily_loss_pct', atLimit: '2.50000001', overLimit: '2.5', setup: (b) => realise(b, '-250'), reason: 'DAILY_LOSS_LIMIT' },
    { limitType: 'max_weekly_loss_pct', atLimit: '2.50000001', overLimit: '2.5', setup: (b) => realise(b, '-250'), reason: 'WEEKLY_LOSS_LIMIT' },
    // Up 500 (peak 10 500), then down 1 050 (equity 9 450): drawdown 1 050 / 10 500 = 10 %.
    {
      limitType: 'max_drawdown_pct',
      atLimit: '10.00000001',
      overLimit: '10',
      setup: (b) => {
        realise(b, '500', 1, new Date('2026-11-20T09:00:00.000Z'));
        realise(b, '-1050', 1, new Date('2026-11-20T09:30:00.000Z'));
      },
      reason: 'MAX_DRAWDOWN',
    },
    // Won 300 of 10 000 today = 3 %: a 3 % target is reached (stop for the day).
    { limitType: 'daily_profit_target_pct', atLimit: '3.00000001', overLimit: '3', setup: (b) => realise(b, '300'), reason: 'DAILY_PROFIT_TARGET' },
    // A losing close at 11:30: a 30-minute cooldown ends exactly at 12:00 (allowed), a 31-minute one does not.
    { limitType: 'cooldown_after_stop_loss_minutes', atLimit: '30', overLimit: '31', setup: (b) => realise(b, '-1', 1, new Date('2026-11-20T11:30:00.000Z')), reason: 'COOLDOWN_AFTER_LOSS' },
  ];

  it.each(cases)('$limitType: allowed at $atLimit, denied at $overLimit', ({ limitType, atLimit, overLimit, setup, request, reason }) => {
    const allowed = bookWithPositions();
    setup?.(allowed);
    limit(allowed, limitType, atLimit);
    expect(preTradeCheck(allowed, order(request), new Map(), NOW)).toEqual({ approved: true, reasons: [], tradingState: 'ACTIVE' });

    const denied = bookWithPositions();
    setup?.(denied);
    limit(denied, limitType, overLimit);
    expect(preTradeCheck(denied, order(request), new Map(), NOW)).toEqual({ approved: false, reasons: [reason], tradingState: 'ACTIVE' });
  });

  it('applies global limits to the bot and user limits to the sum of the user bots', () => {
    const book = bookWithPositions();
    book.putAccount(newAccount(OTHER_BOT, USER, d(10_000), NOW));
    limit(book, 'max_exposure', '5000', 'global');
    expect(preTradeCheck(book, order(), new Map(), NOW).approved).toBe(true);
    // The user's two bots hold 20 000 of capital: 25 % of it is 5 000, exactly the exposure after the order.
    limit(book, 'max_leverage', '0.25', 'user');
    expect(preTradeCheck(book, order(), new Map(), NOW).approved).toBe(true);
    limit(book, 'max_leverage', '0.24999999', 'user');
    expect(preTradeCheck(book, order(), new Map(), NOW)).toMatchObject({ approved: false, reasons: ['MAX_LEVERAGE'] });
  });

  it('lets a reducing order through limits it would otherwise fail', () => {
    const book = bookWithPositions();
    limit(book, 'max_exposure', '1');
    expect(preTradeCheck(book, order(), new Map(), NOW).reasons).toEqual(['MAX_EXPOSURE']);
    expect(preTradeCheck(book, order({ side: 'sell', quantity: '0.05' }), new Map(), NOW).approved).toBe(true);
  });

  it('denies a notional limit when no price is known, and uses the last mark otherwise', () => {
    const book = new RiskBook(d(10_000));
    limit(book, 'max_position_size', '1000');
    expect(preTradeCheck(book, order({ price: undefined }), new Map(), NOW).reasons).toEqual(['MAX_POSITION_SIZE']);
    expect(preTradeCheck(book, order({ price: undefined, quantity: '0.05' }), new Map([['paper|BTC/USDT', d(20_000)]]), NOW).approved).toBe(true);
  });
});

describe('pre-trade check: trading states', () => {
  it.each([
    ['global', null],
    ['user', USER],
    ['bot', BOT],
  ] as const)('HALTED on the %s scope denies every order, reducing ones included', (scope, scopeId) => {
    const book = bookWithPositions();
    book.setState(scope, scopeId, 'HALTED');
    for (const request of [order(), order({ side: 'sell', quantity: '0.1' })]) {
      expect(preTradeCheck(book, request, new Map(), NOW)).toEqual({ approved: false, reasons: ['TRADING_HALTED'], tradingState: 'HALTED' });
    }
  });

  it('REDUCING allows only orders that shrink a position without flipping it', () => {
    const book = bookWithPositions();
    book.setState('bot', BOT, 'REDUCING');
    const check = (r: Partial<RiskPreTradeCheck.Request>) => preTradeCheck(book, order(r), new Map(), NOW);
    expect(check({ side: 'sell', quantity: '0.1' })).toEqual({ approved: true, reasons: [], tradingState: 'REDUCING' });
    expect(check({ side: 'sell', quantity: '0.04' }).approved).toBe(true);
    expect(check({ side: 'sell', quantity: '0.10000001' })).toEqual({ approved: false, reasons: ['REDUCE_ONLY'], tradingState: 'REDUCING' });
    expect(check({ side: 'buy', quantity: '0.01' }).reasons).toEqual(['REDUCE_ONLY']);
    expect(check({ symbol: 'SOL/USDT', side: 'sell', quantity: '1' }).reasons).toEqual(['REDUCE_ONLY']);
  });

  it('reports the most restrictive of the three states', () => {
    const book = bookWithPositions();
    book.setState('user', USER, 'REDUCING');
    book.setState('global', null, 'ACTIVE');
    expect(preTradeCheck(book, order({ side: 'sell' }), new Map(), NOW).tradingState).toBe('REDUCING');
  });
});
