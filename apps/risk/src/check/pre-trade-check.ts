import Decimal from 'decimal.js';
import type { RiskPreTradeCheck } from '@trading/contracts';
import { positionKey } from '../book/bot-account';
import { Measures, dailyLossPct, dailyProfitPct, drawdownPct, positionValue, weeklyLossPct } from '../book/measures';
import { LimitRule, RiskBook } from '../book/risk-book';
import type { LimitType } from '../limits/risk-limit.entity';

export const REASON_BY_LIMIT: Record<LimitType, string> = {
  max_position_size: 'MAX_POSITION_SIZE',
  max_position_pct: 'MAX_POSITION_PCT',
  max_open_positions: 'MAX_OPEN_POSITIONS',
  max_exposure: 'MAX_EXPOSURE',
  max_leverage: 'MAX_LEVERAGE',
  max_daily_loss_pct: 'DAILY_LOSS_LIMIT',
  max_weekly_loss_pct: 'WEEKLY_LOSS_LIMIT',
  max_drawdown_pct: 'MAX_DRAWDOWN',
  max_trades_per_day: 'MAX_TRADES_PER_DAY',
  daily_profit_target_pct: 'DAILY_PROFIT_TARGET',
  cooldown_after_stop_loss_minutes: 'COOLDOWN_AFTER_LOSS',
};

const ZERO = new Decimal(0);
const HUNDRED = new Decimal(100);

export interface OrderIntent {
  readonly exchange: string;
  readonly symbol: string;
  /** Signed change of the position: + for a buy, - for a sell. */
  readonly delta: Decimal;
  /** Limit price, the request's reference price or the last mark; null when none is known. */
  readonly price: Decimal | null;
}

/** The position on the order's symbol and the portfolio's value and count once the order filled. */
interface AfterOrder {
  readonly positionValue: Decimal | null;
  readonly exposure: Decimal | null;
  readonly openPositions: number;
}

function afterOrder(m: Measures, order: OrderIntent): AfterOrder {
  let current = ZERO;
  let others = ZERO;
  let openOthers = 0;
  for (const p of m.positions) {
    if (p.symbol === order.symbol && p.exchange === order.exchange) current = current.plus(p.quantity);
    else if (!p.quantity.isZero()) {
      others = others.plus(positionValue(p));
      openOthers++;
    }
  }
  const next = current.plus(order.delta);
  const value = order.price ? next.abs().times(order.price) : null;
  return { positionValue: value, exposure: value ? others.plus(value) : null, openPositions: openOthers + (next.isZero() ? 0 : 1) };
}

/**
 * Whether one limit denies the order. Rules (see apps/risk/README.md): limits on the state after the order
 * (size, value, positions, exposure, leverage, trades per day) allow reaching the limit exactly and deny one unit
 * over; limits on the account's state (losses, drawdown, profit target) deny once the measured value has reached
 * the limit; a cooldown denies until its last minute has passed.
 */
function denies(rule: LimitRule, m: Measures, after: AfterOrder, now: Date): boolean {
  const limit = rule.value;
  switch (rule.limitType) {
    case 'max_position_size':
      return after.positionValue === null || after.positionValue.gt(limit);
    case 'max_position_pct':
      return after.positionValue === null || !m.equity.gt(0) || after.positionValue.div(m.equity).times(HUNDRED).gt(limit);
    case 'max_open_positions':
      return new Decimal(after.openPositions).gt(limit);
    case 'max_exposure':
      return after.exposure === null || after.exposure.gt(limit);
    case 'max_leverage':
      return after.exposure === null || !m.equity.gt(0) || after.exposure.div(m.equity).gt(limit);
    case 'max_trades_per_day':
      return new Decimal(m.dayTrades + 1).gt(limit);
    case 'max_daily_loss_pct':
      return dailyLossPct(m).gte(limit);
    case 'max_weekly_loss_pct':
      return weeklyLossPct(m).gte(limit);
    case 'max_drawdown_pct':
      return drawdownPct(m).gte(limit);
    case 'daily_profit_target_pct':
      return dailyProfitPct(m).gte(limit);
    case 'cooldown_after_stop_loss_minutes':
      return m.lastLossAt !== null && now.getTime() < m.lastLossAt.getTime() + limit.times(60_000).toNumber();
  }
}

/** True when the order only shrinks the bot's position on the symbol (never opens, grows or flips it). */
export function isReducing(book: RiskBook, botId: string, order: OrderIntent): boolean {
  const position = book.account(botId)?.positions.get(positionKey(order.exchange, order.symbol));
  if (!position || position.quantity.isZero()) return false;
  const next = position.quantity.plus(order.delta);
  return next.abs().lte(position.quantity.abs()) && (next.isZero() || next.gt(0) === position.quantity.gt(0));
}

export function orderIntent(book: RiskBook, request: RiskPreTradeCheck.Request, marks: ReadonlyMap<string, Decimal>): OrderIntent {
  const quantity = new Decimal(request.quantity);
  const key = positionKey(request.exchange, request.symbol);
  const held = book.account(request.botId)?.positions.get(key);
  const price = request.price ? new Decimal(request.price) : (marks.get(key) ?? held?.markPrice ?? null);
  return { exchange: request.exchange, symbol: request.symbol, delta: request.side === 'buy' ? quantity : quantity.negated(), price };
}

/**
 * The pre-trade check: HALTED (bot, user or global) denies everything; REDUCING allows only orders that shrink a
 * position; an order that only reduces passes the limits (it lowers risk); any other order is measured against
 * the bot's and the global limits on the bot, and the user's limits on the sum of the user's bots.
 */
export function preTradeCheck(
  book: RiskBook,
  request: RiskPreTradeCheck.Request,
  marks: ReadonlyMap<string, Decimal>,
  now: Date,
): RiskPreTradeCheck.Response {
  const tradingState = book.effectiveState(request.userId, request.botId);
  if (tradingState === 'HALTED') return { approved: false, reasons: ['TRADING_HALTED'], tradingState };
  const order = orderIntent(book, request, marks);
  const reducing = isReducing(book, request.botId, order);
  if (tradingState === 'REDUCING' && !reducing) return { approved: false, reasons: ['REDUCE_ONLY'], tradingState };
  if (reducing) return { approved: true, reasons: [], tradingState };

  const reasons = new Set<string>();
  const botAccount = book.accountOrNew(request.botId, request.userId, now);
  const botMeasures = book.measureBot(botAccount, now);
  const botAfter = afterOrder(botMeasures, order);
  for (const rule of [...book.limitsOf('bot', request.botId), ...book.limitsOf('global', null)]) {
    if (denies(rule, botMeasures, botAfter, now)) reasons.add(REASON_BY_LIMIT[rule.limitType]);
  }
  const userRules = book.limitsOf('user', request.userId);
  if (userRules.length > 0) {
    const userMeasures = book.measureUser(request.userId, now, botAccount);
    const userAfter = afterOrder(userMeasures, order);
    for (const rule of userRules) if (denies(rule, userMeasures, userAfter, now)) reasons.add(REASON_BY_LIMIT[rule.limitType]);
  }
  return reasons.size === 0 ? { approved: true, reasons: [], tradingState } : { approved: false, reasons: [...reasons].sort(), tradingState };
}
