import { AuthApiKeysDecryptForEngine, RpcPatterns } from '@trading/contracts';
import { RpcRemoteError, RpcTimeoutError } from '@trading/streams';
import type { RpcClient } from '@trading/streams';
import { inspect } from 'node:util';
import { LiveKeyUnavailableError } from './live-key-unavailable.error';

/** Which key a live order uses: the bot's key, which must be its user's key for the bot's exchange. */
export interface ExchangeKeyRef {
  readonly apiKeyId: string;
  readonly userId: string;
  readonly exchange: string;
}

/**
 * A decrypted exchange key. The secret parts are private fields (not enumerable, not copied by spreading,
 * not serialised), and the object prints and serialises as its id only, so a careless log line shows no secret.
 */
export class DecryptedExchangeKey {
  readonly #apiKey: string;
  readonly #secret: string;
  readonly #passphrase: string | null;

  constructor(
    readonly keyId: string,
    readonly userId: string,
    readonly exchange: string,
    readonly testnet: boolean,
    material: { apiKey: string; secret: string; passphrase: string | null },
  ) {
    this.#apiKey = material.apiKey;
    this.#secret = material.secret;
    this.#passphrase = material.passphrase;
  }

  /** For the exchange client's constructor only. */
  material(): { apiKey: string; secret: string; password?: string } {
    return { apiKey: this.#apiKey, secret: this.#secret, ...(this.#passphrase ? { password: this.#passphrase } : {}) };
  }

  toJSON(): Record<string, unknown> {
    return { keyId: this.keyId, exchange: this.exchange, testnet: this.testnet };
  }

  [inspect.custom](): string {
    return `DecryptedExchangeKey(${this.keyId})`;
  }
}

type DecryptRpc = Pick<RpcClient, 'send'>;

/** Obtains decrypted keys from auth (auth.apiKeys.decryptForEngine, INTERNAL_RPC_TOKEN) and checks whose they are. */
export class ExchangeKeyProvider {
  constructor(
    private readonly rpc: DecryptRpc,
    private readonly internalToken: string | undefined,
    private readonly timeoutMs: number,
  ) {}

  get configured(): boolean {
    return Boolean(this.internalToken);
  }

  async decrypt(ref: ExchangeKeyRef): Promise<DecryptedExchangeKey> {
    if (!this.internalToken) {
      throw new LiveKeyUnavailableError(
        'no_internal_token',
        'INTERNAL_RPC_TOKEN is not set on the trading-engine: it cannot obtain exchange keys, so live execution is off',
      );
    }
    let answer: AuthApiKeysDecryptForEngine.Response;
    try {
      answer = await this.rpc.send(
        RpcPatterns.AuthApiKeysDecryptForEngine,
        { internalToken: this.internalToken, userId: ref.userId, keyId: ref.apiKeyId },
        { timeoutMs: this.timeoutMs },
      );
    } catch (error) {
      if (error instanceof RpcRemoteError && error.status === 404)
        throw new LiveKeyUnavailableError('key_not_found', `exchange key ${ref.apiKeyId} not found for the bot's user`);
      if (error instanceof RpcRemoteError && error.code === 'API_KEY_INACTIVE')
        throw new LiveKeyUnavailableError('key_inactive', `exchange key ${ref.apiKeyId} is deactivated`);
      if (error instanceof RpcRemoteError)
        throw new LiveKeyUnavailableError('auth_unavailable', `auth refused the key request: ${error.code}`);
      if (error instanceof RpcTimeoutError)
        throw new LiveKeyUnavailableError('auth_unavailable', `auth did not answer within ${this.timeoutMs} ms`);
      throw new LiveKeyUnavailableError(
        'auth_unavailable',
        `auth unreachable: ${error instanceof Error ? error.name : 'error'}`,
      );
    }
    if (
      !answer ||
      typeof answer.apiKey !== 'string' ||
      typeof answer.secret !== 'string' ||
      !answer.apiKey ||
      !answer.secret
    ) {
      throw new LiveKeyUnavailableError('auth_unavailable', 'auth answered a malformed key');
    }
    if (answer.keyId !== ref.apiKeyId || answer.userId !== ref.userId) {
      throw new LiveKeyUnavailableError(
        'key_mismatch',
        `exchange key ${ref.apiKeyId} does not belong to the bot's user`,
      );
    }
    if (answer.exchange !== ref.exchange) {
      throw new LiveKeyUnavailableError(
        'key_mismatch',
        `exchange key ${ref.apiKeyId} is a ${answer.exchange} key, the bot trades on ${ref.exchange}`,
      );
    }
    return new DecryptedExchangeKey(answer.keyId, answer.userId, answer.exchange, answer.testnet === true, {
      apiKey: answer.apiKey,
      secret: answer.secret,
      passphrase: answer.passphrase ?? null,
    });
  }
}
