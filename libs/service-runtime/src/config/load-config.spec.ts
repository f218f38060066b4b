import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { BaseServiceEnv } from './base-service.env';
import { ConfigValidationError, loadConfig } from './load-config';
import { processedEventsPruning } from './processed-events-pruning';

class ExampleEnv extends BaseServiceEnv {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  BATCH_SIZE = 100;
}

describe('loadConfig', () => {
  it('applies defaults and converts numbers', () => {
    const config = loadConfig('example', ExampleEnv, { PORT: '4000', BATCH_SIZE: '7' });
    expect(config.PORT).toBe(4000);
    expect(config.BATCH_SIZE).toBe(7);
    expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/trading');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.LOG_LEVEL).toBe('info');
  });

  it('never prints the value of a secret or a URL password', () => {
    class SecretEnv extends BaseServiceEnv {
      @Min(100) @Type(() => Number) @IsInt() JWT_SECRET_LENGTH_HINT = 100;
    }
    let message = '';
    try {
      loadConfig('example', class extends SecretEnv {}, { JWT_SECRET_LENGTH_HINT: '1', DATABASE_URL: 'mysql://u:hunter2@db/x', INTERNAL_RPC_TOKEN: 'x' });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('hunter2');
    expect(message).toContain('u:***@');
    expect(message).toMatch(/JWT_SECRET_LENGTH_HINT: .* \(value hidden\)/);
  });

  it('lists every violation, each naming its variable', () => {
    let error: unknown;
    try {
      loadConfig('example', ExampleEnv, { PORT: 'abc', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', BATCH_SIZE: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const { violations, message } = error as ConfigValidationError;
    const names = violations.map((v) => v.split(':')[0]).sort();
    expect(names).toEqual(expect.arrayContaining(['BATCH_SIZE', 'DATABASE_URL', 'LOG_LEVEL', 'PORT']));
    expect(message).toContain('Invalid configuration for example');
    expect(message).toMatch(/DATABASE_URL: must be a URL starting with postgres: or postgresql:/);
  });

  it('validates the retention and interval of processed-event pruning', () => {
    const defaults = loadConfig('example', ExampleEnv, {});
    expect(processedEventsPruning(defaults)).toEqual({ retainMs: 7 * 24 * 3600 * 1000, intervalMs: 3600 * 1000 });
    expect(processedEventsPruning(loadConfig('example', ExampleEnv, { PROCESSED_EVENTS_RETAIN_HOURS: '720', PROCESSED_EVENTS_PRUNE_INTERVAL_MS: '60000' }))).toEqual({
      retainMs: 30 * 24 * 3600 * 1000,
      intervalMs: 60_000,
    });
    let error: unknown;
    try {
      loadConfig('example', ExampleEnv, { PROCESSED_EVENTS_RETAIN_HOURS: '2', PROCESSED_EVENTS_PRUNE_INTERVAL_MS: 'hourly' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const names = (error as ConfigValidationError).violations.map((v) => v.split(':')[0]);
    expect([...new Set(names)].sort()).toEqual(['PROCESSED_EVENTS_PRUNE_INTERVAL_MS', 'PROCESSED_EVENTS_RETAIN_HOURS']);
  });
});
