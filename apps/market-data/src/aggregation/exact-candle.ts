/** A closed candle with exact decimal-string prices, as stored and published. */
export interface ExactCandle {
  /** Open time, epoch milliseconds UTC. */
  readonly time: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}
