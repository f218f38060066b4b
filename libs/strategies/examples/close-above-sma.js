'use strict';
// A user strategy: copy this file into the folder given to loadUserStrategies() (the strategy
// service's STRATEGIES_DIR, or `tradectl backtest --strategies-dir`). Plain JavaScript, no
// build step and nothing to install: the platform passes in what the file needs.

/** @param {import('@trading/strategies').UserStrategyKit} kit */
module.exports = ({ defineStrategy, validators, ParamDescription, indicators }) => {
  const { IsInt, Min, Max } = validators;

  class Params {
    constructor() {
      this.period = 50;
      this.confirm = 2;
    }
  }
  // Decorators applied by hand (what `@IsInt() period = 50` compiles to in TypeScript).
  ParamDescription('SMA period')(Params.prototype, 'period');
  IsInt()(Params.prototype, 'period');
  Min(2)(Params.prototype, 'period');
  Max(1000)(Params.prototype, 'period');
  ParamDescription('closes in a row above the SMA needed to go long')(Params.prototype, 'confirm');
  IsInt()(Params.prototype, 'confirm');
  Min(1)(Params.prototype, 'confirm');
  Max(20)(Params.prototype, 'confirm');

  return defineStrategy({
    name: 'close_above_sma',
    description: 'Long after `confirm` closes in a row above the SMA; flat on the first close below it.',
    params: Params,
    warmup: (p) => p.period + p.confirm - 1,
    create: (p) => {
      const sma = new indicators.Sma(p.period);
      let above = 0;
      let position = 'flat';
      return {
        warmup: p.period + p.confirm - 1,
        // The live path replays a bounded candle window, then tells the strategy the bot's real
        // position before the deciding candle; adopting it keeps live decisions equal to a backtest.
        assumePosition(target) {
          position = target;
        },
        onCandle(candle) {
          const value = sma.update(candle.close);
          if (Number.isNaN(value)) return null;
          above = candle.close > value ? above + 1 : 0;
          const wanted = above >= p.confirm ? 'long' : candle.close < value ? 'flat' : position;
          if (wanted === position) return null;
          position = wanted;
          const reason = wanted === 'long' ? `${p.confirm} closes above SMA(${p.period})` : `close below SMA(${p.period})`;
          return { target: wanted, reason, indicators: { sma: value } };
        },
      };
    },
  });
};
