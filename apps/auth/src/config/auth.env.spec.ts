import { ConfigValidationError, loadConfig } from '@trading/service-runtime';
import { AuthEnv } from './auth.env';
import { parsePreviousMasterKeys } from './secret-env.validators';

const key = (fill: number) => Buffer.alloc(32, fill).toString('base64');
const load = (env: NodeJS.ProcessEnv) => loadConfig('auth', AuthEnv, env);
const violations = (env: NodeJS.ProcessEnv): string[] => {
  try {
    load(env);
    return [];
  } catch (error) {
    return (error as ConfigValidationError).violations;
  }
};

describe('AuthEnv', () => {
  it('starts in development with public defaults', () => {
    const config = load({});
    expect(config.LOGIN_MAX_FAILED_ATTEMPTS).toBe(5);
    expect(config.JWT_ACCESS_TTL_SECONDS).toBe(900);
  });

  it('refuses every development secret in production, naming each variable', () => {
    const names = violations({ NODE_ENV: 'production' }).map((v) => v.split(':')[0]);
    expect(names.sort()).toEqual(['INTERNAL_RPC_TOKEN', 'JWT_SECRET', 'MASTER_KEY']);
  });

  it('accepts real secrets in production', () => {
    expect(violations({ NODE_ENV: 'production', JWT_SECRET: 'j'.repeat(40), MASTER_KEY: key(5), INTERNAL_RPC_TOKEN: 't'.repeat(40), MASTER_KEY_ID: '2026-01' })).toEqual([]);
  });

  it('refuses a short JWT secret, a master key that is not 32 bytes and malformed previous keys', () => {
    const names = violations({ JWT_SECRET: 'short', MASTER_KEY: Buffer.alloc(16).toString('base64'), MASTER_KEYS_PREVIOUS: 'old:notbase64!', MASTER_KEY_ID: 'has space' }).map((v) => v.split(':')[0]);
    expect(names.sort()).toEqual(['JWT_SECRET', 'MASTER_KEY', 'MASTER_KEYS_PREVIOUS', 'MASTER_KEY_ID']);
  });

  it('parses previous master keys by id', () => {
    const keys = parsePreviousMasterKeys(`k1:${key(1)}, k0:${key(2)}`);
    expect([...keys.keys()]).toEqual(['k1', 'k0']);
    expect(keys.get('k0')).toEqual(Buffer.alloc(32, 2));
  });
});
