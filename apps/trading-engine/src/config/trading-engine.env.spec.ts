import { ConfigValidationError, loadConfig } from '@trading/service-runtime';
import { TradingEngineEnv } from './trading-engine.env';

const load = (env: Record<string, string>) => loadConfig('trading-engine', TradingEngineEnv, env);

describe('trading-engine environment: balance reconciliation and paper manual prices', () => {
  it('checks balances every 5 min with a tolerance of one lot step, and wants paper prices under 60 s, by default', () => {
    expect(load({})).toMatchObject({ BALANCE_RECONCILE_INTERVAL_MS: 300_000, BALANCE_DRIFT_TOLERANCE_STEPS: '1', PAPER_MANUAL_PRICE_MAX_AGE_MS: 60_000 });
  });

  it('takes 0 as "off" and any interval from 1 s', () => {
    expect(load({ BALANCE_RECONCILE_INTERVAL_MS: '0' }).BALANCE_RECONCILE_INTERVAL_MS).toBe(0);
    expect(load({ BALANCE_RECONCILE_INTERVAL_MS: '1000', BALANCE_DRIFT_TOLERANCE_STEPS: '2.5' })).toMatchObject({ BALANCE_RECONCILE_INTERVAL_MS: 1000, BALANCE_DRIFT_TOLERANCE_STEPS: '2.5' });
  });

  it('refuses, naming each variable, an interval under 1 s, a tolerance that is not a decimal and a price age out of range', () => {
    let error: unknown;
    try {
      load({ BALANCE_RECONCILE_INTERVAL_MS: '500', BALANCE_DRIFT_TOLERANCE_STEPS: '-1', PAPER_MANUAL_PRICE_MAX_AGE_MS: '10' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const message = (error as Error).message;
    for (const name of ['BALANCE_RECONCILE_INTERVAL_MS', 'BALANCE_DRIFT_TOLERANCE_STEPS', 'PAPER_MANUAL_PRICE_MAX_AGE_MS']) expect(message).toContain(name);
  });
});

describe('trading-engine environment: stream claim idle time', () => {
  it('takes a signal over after 30 s by default, and accepts 1 s to 10 min', () => {
    expect(load({}).STREAMS_CLAIM_IDLE_MS).toBe(30_000);
    expect(load({ STREAMS_CLAIM_IDLE_MS: '1000' }).STREAMS_CLAIM_IDLE_MS).toBe(1000);
    expect(load({ STREAMS_CLAIM_IDLE_MS: '600000' }).STREAMS_CLAIM_IDLE_MS).toBe(600_000);
  });

  it.each(['999', '600001', '86400000000'])('refuses %s, naming the variable', (value) => {
    expect(() => load({ STREAMS_CLAIM_IDLE_MS: value })).toThrow(ConfigValidationError);
    expect(() => load({ STREAMS_CLAIM_IDLE_MS: value })).toThrow(/STREAMS_CLAIM_IDLE_MS/);
  });
});
