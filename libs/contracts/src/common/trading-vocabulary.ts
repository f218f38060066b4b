export const ORDER_SIDES = ['buy', 'sell'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export const POSITION_SIDES = ['long', 'short', 'flat'] as const;
export type PositionSide = (typeof POSITION_SIDES)[number];

export const ORDER_TYPES = ['market', 'limit', 'stop_loss', 'take_profit', 'trailing_stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const TRADING_MODES = ['paper', 'live'] as const;
export type TradingMode = (typeof TRADING_MODES)[number];

export const TIMEFRAMES = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '12h', '1d', '1w'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const TRADING_STATES = ['ACTIVE', 'REDUCING', 'HALTED'] as const;
export type TradingState = (typeof TRADING_STATES)[number];

/** Exchange ids as ccxt spells them (binance, kraken, ...), plus `paper`. */
export const EXCHANGE_ID = /^[a-z0-9_]{2,32}$/;
