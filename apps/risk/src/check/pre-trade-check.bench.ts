/* Benchmark of the in-service pre-trade check: `node scripts/build.js && node dist/apps/risk/src/check/pre-trade-check.bench.js` */
import 'reflect-metadata';
import Decimal from 'decimal.js';
import { performance } from 'node:perf_hooks';
import { v7 } from 'uuid';
import { BotAccount, applyPosition, applyTrade, newAccount } from '../book/bot-account';
import { RiskBook } from '../book/risk-book';
import { LIMIT_TYPES } from '../limits/risk-limit.entity';
import { preTradeCheck } from './pre-trade-check';

const BOTS = 500;
const CHECKS = 200_000;
const book = new RiskBook(new Decimal(10_000));
const users = Array.from({ length: 50 }, () => v7());
const bots: { botId: string; userId: string }[] = [];
const start = new Date('2026-11-20T00:00:00Z');
for (let i = 0; i < BOTS; i++) {
  const botId = v7();
  const userId = users[i % users.length] ?? v7();
  let account: BotAccount = newAccount(botId, userId, new Decimal(10_000), start);
  for (const symbol of ['BTC/USDT', 'ETH/USDT', 'SOL/USDT']) {
    account = applyPosition(account, { exchange: 'paper', symbol, side: 'long', quantity: new Decimal('0.1'), avgEntryPrice: new Decimal(1000), markPrice: new Decimal(1010), unrealizedPnl: new Decimal(1), changedAt: start });
  }
  account = applyTrade(account, { realizedPnl: new Decimal('12.5'), executedAt: start });
  book.putAccount(account);
  bots.push({ botId, userId });
  for (const limitType of LIMIT_TYPES) book.putLimit({ id: v7(), scope: 'bot', scopeId: botId, limitType, value: new Decimal(1_000_000), action: 'halt', warnAtPcts: [80, 95] });
}
for (const userId of users) book.putLimit({ id: v7(), scope: 'user', scopeId: userId, limitType: 'max_exposure', value: new Decimal(1_000_000), action: 'halt', warnAtPcts: [80, 95] });
for (const limitType of LIMIT_TYPES) book.putLimit({ id: v7(), scope: 'global', scopeId: null, limitType, value: new Decimal(1_000_000), action: 'halt', warnAtPcts: [80, 95] });

const marks = new Map<string, Decimal>();
const samples = new Float64Array(CHECKS);
let approved = 0;
const now = new Date('2026-11-20T12:00:00Z');
for (let i = 0; i < CHECKS; i++) {
  const { botId, userId } = bots[i % BOTS] ?? { botId: v7(), userId: v7() };
  const t0 = performance.now();
  const answer = preTradeCheck(book, { botId, userId, exchange: 'paper', symbol: 'BTC/USDT', side: i % 2 ? 'buy' : 'sell', orderType: 'market', quantity: '0.2', price: '1005' }, marks, now);
  samples[i] = performance.now() - t0;
  if (answer.approved) approved++;
}
const sorted = Array.from(samples.subarray(CHECKS / 10)).sort((a, b) => a - b); // first 10 % is warm-up
const q = (p: number) => (sorted[Math.floor(p * (sorted.length - 1))] ?? NaN).toFixed(4);
process.stdout.write(
  `pre-trade check, ${BOTS} bots x ${LIMIT_TYPES.length} bot limits + user + global limits, ${CHECKS} checks (${approved} approved): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, p99.9 ${q(0.999)} ms, max ${q(1)} ms\n`,
);
