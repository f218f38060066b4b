import { AuthApiKeysDecryptForEngine } from '@trading/contracts';
import { RpcRemoteError, RpcTimeoutError } from '@trading/streams';
import { inspect } from 'node:util';
import { ExchangeKeyProvider } from './exchange-key.provider';
import { LiveKeyUnavailableError } from './live-key-unavailable.error';

const TOKEN = 'internal-token-0123456789abcdef0123456789';
const ref = {
  apiKeyId: '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6d',
  userId: '0190b6a4-5f6e-7c3b-8a2d-aaaaaaaaaaaa',
  exchange: 'binance',
};
const answer: AuthApiKeysDecryptForEngine.Response = {
  keyId: ref.apiKeyId,
  userId: ref.userId,
  exchange: 'binance',
  testnet: true,
  apiKey: 'the-api-key-123',
  secret: 'the-very-secret-456',
  passphrase: null,
};

/** auth as the engine's RPC client sees it: answers, errors, or silence. */
function authAnswering(reply: () => Promise<unknown>) {
  const requests: unknown[] = [];
  const rpc = { send: (pattern: string, request: unknown) => (requests.push({ pattern, request }), reply()) } as never;
  return { rpc, requests };
}

async function problemOf(provider: ExchangeKeyProvider): Promise<string> {
  try {
    await provider.decrypt(ref);
  } catch (error) {
    if (error instanceof LiveKeyUnavailableError) return error.problem;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('ExchangeKeyProvider', () => {
  it('asks auth with the internal token for the bot user’s key', async () => {
    const { rpc, requests } = authAnswering(() => Promise.resolve(answer));
    const key = await new ExchangeKeyProvider(rpc, TOKEN, 1000).decrypt(ref);
    expect(requests).toEqual([
      {
        pattern: 'auth.apiKeys.decryptForEngine',
        request: { internalToken: TOKEN, userId: ref.userId, keyId: ref.apiKeyId },
      },
    ]);
    expect(key.material()).toEqual({ apiKey: 'the-api-key-123', secret: 'the-very-secret-456' });
    expect(key.testnet).toBe(true);
  });

  it('a decrypted key prints, serialises and spreads as its id only', async () => {
    const { rpc } = authAnswering(() => Promise.resolve({ ...answer, passphrase: 'the-passphrase-789' }));
    const key = await new ExchangeKeyProvider(rpc, TOKEN, 1000).decrypt(ref);
    expect(key.material()).toMatchObject({ password: 'the-passphrase-789' });
    const shown = [
      inspect(key),
      JSON.stringify(key),
      JSON.stringify({ ...key }),
      String(Object.values(key)),
      `${inspect({ nested: { key } }, { depth: 5 })}`,
    ].join('\n');
    for (const secret of ['the-api-key-123', 'the-very-secret-456', 'the-passphrase-789'])
      expect(shown).not.toContain(secret);
    expect(shown).toContain(ref.apiKeyId);
  });

  it('without INTERNAL_RPC_TOKEN it asks nothing and refuses with a clear reason', async () => {
    const { rpc, requests } = authAnswering(() => Promise.resolve(answer));
    const provider = new ExchangeKeyProvider(rpc, undefined, 1000);
    expect(provider.configured).toBe(false);
    await expect(provider.decrypt(ref)).rejects.toThrow(/INTERNAL_RPC_TOKEN is not set/);
    expect(requests).toEqual([]);
  });

  it.each([
    ['another user’s key', { ...answer, userId: '0190b6a4-5f6e-7c3b-8a2d-bbbbbbbbbbbb' }, 'key_mismatch'],
    ['another key than asked for', { ...answer, keyId: '0190b6a4-5f6e-7c3b-8a2d-cccccccccccc' }, 'key_mismatch'],
    ['a key for another exchange', { ...answer, exchange: 'kraken' }, 'key_mismatch'],
    ['an answer without a secret', { ...answer, secret: '' }, 'auth_unavailable'],
  ])('refuses %s', async (_what, reply, problem) => {
    const { rpc } = authAnswering(() => Promise.resolve(reply));
    expect(await problemOf(new ExchangeKeyProvider(rpc, TOKEN, 1000))).toBe(problem);
  });

  it.each([
    [
      'not found',
      new RpcRemoteError('auth.apiKeys.decryptForEngine', {
        status: 404,
        code: 'API_KEY_NOT_FOUND',
        message: 'API key not found',
      }),
      'key_not_found',
    ],
    [
      'deactivated',
      new RpcRemoteError('auth.apiKeys.decryptForEngine', {
        status: 409,
        code: 'API_KEY_INACTIVE',
        message: 'API key is deactivated',
      }),
      'key_inactive',
    ],
    [
      'a wrong token',
      new RpcRemoteError('auth.apiKeys.decryptForEngine', {
        status: 403,
        code: 'FORBIDDEN',
        message: 'Internal callers only',
      }),
      'auth_unavailable',
    ],
    ['silence', new RpcTimeoutError('auth.apiKeys.decryptForEngine', 1000), 'auth_unavailable'],
  ])('auth answering %s is a refusal, not a crash', async (_what, error, problem) => {
    const { rpc } = authAnswering(() => Promise.reject(error));
    expect(await problemOf(new ExchangeKeyProvider(rpc, TOKEN, 1000))).toBe(problem);
  });
});
