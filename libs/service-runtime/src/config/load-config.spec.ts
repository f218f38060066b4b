import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';
import { BaseServiceEnv } from './base-service.env';
import { ConfigValidationError, loadConfig } from './load-config';

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
});
