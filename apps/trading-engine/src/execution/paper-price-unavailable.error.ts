import type { PaperPriceProblem } from './price-freshness';

/** A paper order that must fill now (a manual market order, a manual close) has no price it may fill at now. */
export class PaperPriceUnavailableError extends Error {
  constructor(
    readonly problem: PaperPriceProblem,
    message: string,
  ) {
    super(message);
    this.name = 'PaperPriceUnavailableError';
  }
}
