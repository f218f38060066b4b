export interface ParamProblem {
  readonly param: string;
  readonly problems: readonly string[];
}

/** Raised by createStrategy with every invalid parameter, not just the first. */
export class InvalidStrategyParamsError extends Error {
  constructor(
    readonly strategy: string,
    readonly problems: readonly ParamProblem[],
  ) {
    super(
      `invalid parameters for strategy "${strategy}": ` +
        problems.map((p) => `${p.param}: ${p.problems.join(', ')}`).join('; '),
    );
    this.name = 'InvalidStrategyParamsError';
  }
}

export class UnknownStrategyError extends Error {
  constructor(
    readonly strategy: string,
    known: readonly string[],
  ) {
    super(`unknown strategy "${strategy}"; known: ${known.join(', ')}`);
    this.name = 'UnknownStrategyError';
  }
}
