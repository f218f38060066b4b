import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Not } from 'typeorm';
import { v7 } from 'uuid';
import { UserApiKeyEntity } from './user-api-key.entity';

export interface NewUserApiKey {
  userId: string;
  exchange: string;
  label?: string;
  apiKeyEncrypted: string;
  secretEncrypted: string;
  passphraseEncrypted?: string | null;
  keyId: string;
  apiKeyMasked: string;
  isTestnet?: boolean;
}

@Injectable()
export class UserApiKeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: NewUserApiKey, manager: EntityManager = this.dataSource.manager): Promise<UserApiKeyEntity> {
    const repo = manager.getRepository(UserApiKeyEntity);
    const key = repo.create({
      id: v7(),
      userId: input.userId,
      exchange: input.exchange,
      label: input.label ?? 'default',
      apiKeyEncrypted: input.apiKeyEncrypted,
      secretEncrypted: input.secretEncrypted,
      passphraseEncrypted: input.passphraseEncrypted ?? null,
      keyId: input.keyId,
      apiKeyMasked: input.apiKeyMasked,
      isTestnet: input.isTestnet ?? false,
    });
    await repo.insert(key);
    return repo.findOneByOrFail({ id: key.id });
  }

  findById(id: string): Promise<UserApiKeyEntity | null> {
    return this.dataSource.getRepository(UserApiKeyEntity).findOneBy({ id });
  }

  /** Owner-scoped lookup: another user's key id yields null, not the key. */
  findByIdForUser(id: string, userId: string): Promise<UserApiKeyEntity | null> {
    return this.dataSource.getRepository(UserApiKeyEntity).findOneBy({ id, userId });
  }

  listByUser(userId: string): Promise<UserApiKeyEntity[]> {
    return this.dataSource.getRepository(UserApiKeyEntity).find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  /** Keys encrypted under an old master key, for re-encryption during key rotation. */
  listByMasterKey(keyId: string, limit = 100): Promise<UserApiKeyEntity[]> {
    return this.dataSource.getRepository(UserApiKeyEntity).find({ where: { keyId }, order: { id: 'ASC' }, take: limit });
  }

  /** Keys encrypted under any master key other than `keyId` (rotation). */
  listNotUnderMasterKey(keyId: string, limit = 100): Promise<UserApiKeyEntity[]> {
    return this.dataSource.getRepository(UserApiKeyEntity).find({ where: { keyId: Not(keyId) }, order: { id: 'ASC' }, take: limit });
  }

  async update(id: string, changes: Partial<Omit<UserApiKeyEntity, 'id' | 'userId' | 'createdAt'>>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(UserApiKeyEntity).update({ id }, { ...changes, updatedAt: new Date() });
  }

  async deleteForUser(id: string, userId: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager.getRepository(UserApiKeyEntity).delete({ id, userId });
    return (result.affected ?? 0) > 0;
  }
}
