import { Injectable } from '@nestjs/common';
import type {
  ApiKeyView,
  AuthApiKeysCreate,
  AuthApiKeysDecryptForEngine,
  AuthApiKeysDelete,
  AuthApiKeysGet,
  AuthApiKeysList,
  AuthApiKeysRotateMasterKey,
  RpcCaller,
} from '@trading/contracts';
import { maskSecret } from '@trading/observability';
import { DataSource } from 'typeorm';
import { AuditRecorder } from '../audit/audit-recorder';
import { SecretVault } from '../crypto/secret-vault';
import { AuthErrors, isUniqueViolation } from '../errors/auth.errors';
import { InternalCallerCheck } from '../internal/internal-caller.guard';
import { TwoFactorCodes } from '../users/two-factor-codes';
import { UserRepository } from '../users/user.repository';
import { UserApiKeyEntity } from './user-api-key.entity';
import { UserApiKeyRepository } from './user-api-key.repository';

type SecretField = 'api_key' | 'secret' | 'passphrase';

/**
 * The exchange-key vault. Secrets are encrypted (AES-256-GCM, bound to user and field) before they
 * reach PostgreSQL; only the masked key ever leaves through the user-facing patterns, and only an
 * internal caller (the trading-engine) gets a decrypted key.
 */
@Injectable()
export class ApiKeyVaultService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: UserApiKeyRepository,
    private readonly users: UserRepository,
    private readonly vault: SecretVault,
    private readonly twoFactor: TwoFactorCodes,
    private readonly audit: AuditRecorder,
    private readonly internal: InternalCallerCheck,
  ) {}

  async create(request: AuthApiKeysCreate.Request): Promise<ApiKeyView> {
    const userId = request.caller.userId;
    try {
      const key = await this.dataSource.transaction(async (m) => {
        const created = await this.keys.create(
          {
            userId,
            exchange: request.exchange,
            label: request.label,
            apiKeyEncrypted: this.vault.encrypt(request.apiKey, contextOf(userId, 'api_key')),
            secretEncrypted: this.vault.encrypt(request.secret, contextOf(userId, 'secret')),
            passphraseEncrypted: request.passphrase ? this.vault.encrypt(request.passphrase, contextOf(userId, 'passphrase')) : null,
            keyId: this.vault.currentKeyId,
            apiKeyMasked: maskSecret(request.apiKey),
            isTestnet: request.testnet,
          },
          m,
        );
        await this.audit.record(m, {
          actorUserId: userId,
          action: 'api_key.created',
          resourceType: 'api_key',
          resourceId: created.id,
          outcome: 'success',
          origin: request.origin,
          details: { exchange: created.exchange, label: created.label, testnet: created.isTestnet },
        });
        return created;
      });
      return toView(key);
    } catch (error) {
      if (isUniqueViolation(error, 'uq_user_api_keys_user_exchange_testnet_label')) throw AuthErrors.apiKeyLabelTaken();
      throw error;
    }
  }

  async list(request: AuthApiKeysList.Request): Promise<AuthApiKeysList.Response> {
    const owner = request.userId ?? request.caller.userId;
    if (owner !== request.caller.userId && request.caller.role !== 'admin') throw AuthErrors.userNotFound();
    return { items: (await this.keys.listByUser(owner)).map(toView) };
  }

  async get(request: AuthApiKeysGet.Request): Promise<ApiKeyView> {
    return toView(await this.visibleKey(request.caller, request.keyId));
  }

  async delete(request: AuthApiKeysDelete.Request): Promise<{ ok: true }> {
    const key = await this.visibleKey(request.caller, request.keyId);
    await this.dataSource.transaction(async (m) => {
      if (!(await this.keys.deleteForUser(key.id, key.userId, m))) throw AuthErrors.apiKeyNotFound();
      await this.audit.record(m, {
        actorUserId: request.caller.userId,
        action: 'api_key.deleted',
        resourceType: 'api_key',
        resourceId: key.id,
        outcome: 'success',
        origin: request.origin,
        details: { exchange: key.exchange, label: key.label, ownerUserId: key.userId },
      });
    });
    return { ok: true };
  }

  async decryptForEngine(request: AuthApiKeysDecryptForEngine.Request): Promise<AuthApiKeysDecryptForEngine.Response> {
    this.internal.assert(request.internalToken);
    const key = await this.keys.findByIdForUser(request.keyId, request.userId);
    if (!key) throw AuthErrors.apiKeyNotFound();
    if (!key.isActive) throw AuthErrors.apiKeyInactive();
    const credentials = {
      keyId: key.id,
      userId: key.userId,
      exchange: key.exchange,
      testnet: key.isTestnet,
      apiKey: this.vault.decrypt(key.apiKeyEncrypted, contextOf(key.userId, 'api_key')),
      secret: this.vault.decrypt(key.secretEncrypted, contextOf(key.userId, 'secret')),
      passphrase: key.passphraseEncrypted ? this.vault.decrypt(key.passphraseEncrypted, contextOf(key.userId, 'passphrase')) : null,
    };
    await this.keys.update(key.id, { lastUsedAt: new Date() });
    return credentials;
  }

  /** Re-encrypts every exchange key and TOTP secret not yet under the current master key. */
  async rotateMasterKey(request: AuthApiKeysRotateMasterKey.Request): Promise<AuthApiKeysRotateMasterKey.Response> {
    this.internal.assert(request.internalToken);
    const current = this.vault.currentKeyId;
    let apiKeysReencrypted = 0;
    for (let batch = await this.keys.listNotUnderMasterKey(current); batch.length > 0; batch = await this.keys.listNotUnderMasterKey(current)) {
      await this.dataSource.transaction(async (m) => {
        for (const key of batch) {
          await this.keys.update(
            key.id,
            {
              apiKeyEncrypted: this.vault.reencrypt(key.apiKeyEncrypted, contextOf(key.userId, 'api_key')),
              secretEncrypted: this.vault.reencrypt(key.secretEncrypted, contextOf(key.userId, 'secret')),
              passphraseEncrypted: key.passphraseEncrypted ? this.vault.reencrypt(key.passphraseEncrypted, contextOf(key.userId, 'passphrase')) : null,
              keyId: current,
            },
            m,
          );
        }
        await this.audit.record(m, {
          actorUserId: null,
          action: 'api_key.reencrypted',
          resourceType: 'api_key',
          resourceId: null,
          outcome: 'success',
          details: { count: batch.length, masterKeyId: current },
        });
      });
      apiKeysReencrypted += batch.length;
    }
    let twoFactorSecretsReencrypted = 0;
    for (let batch = await this.users.listTwoFactorSecretsNotUnder(current); batch.length > 0; batch = await this.users.listTwoFactorSecretsNotUnder(current)) {
      await this.dataSource.transaction(async (m) => {
        for (const user of batch) await this.users.update(user.id, { twoFactorSecret: this.twoFactor.reseal(user.id, user.twoFactorSecret) }, m);
      });
      twoFactorSecretsReencrypted += batch.length;
    }
    return { keyId: current, apiKeysReencrypted, twoFactorSecretsReencrypted };
  }

  private async visibleKey(caller: RpcCaller, keyId: string): Promise<UserApiKeyEntity> {
    const key = caller.role === 'admin' ? await this.keys.findById(keyId) : await this.keys.findByIdForUser(keyId, caller.userId);
    if (!key) throw AuthErrors.apiKeyNotFound();
    return key;
  }
}

const contextOf = (userId: string, field: SecretField) => `user_api_keys:${userId}:${field}`;

function toView(key: UserApiKeyEntity): ApiKeyView {
  return {
    id: key.id,
    userId: key.userId,
    exchange: key.exchange,
    label: key.label,
    apiKeyMasked: key.apiKeyMasked,
    hasPassphrase: key.passphraseEncrypted !== null,
    testnet: key.isTestnet,
    isActive: key.isActive,
    createdAt: key.createdAt.toISOString(),
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
  };
}
