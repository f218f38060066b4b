import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { returningRows } from '../database/returning-rows';
import { TelegramUserEntity } from './telegram-user.entity';

export interface NewTelegramUser {
  telegramId: string;
  username?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  languageCode?: string;
  registrationCode?: string | null;
}

@Injectable()
export class TelegramUserRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: NewTelegramUser): Promise<TelegramUserEntity> {
    const repo = this.dataSource.getRepository(TelegramUserEntity);
    const row = repo.create({
      id: v7(),
      telegramId: input.telegramId,
      username: input.username ?? null,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      registrationCode: input.registrationCode ?? null,
      ...(input.languageCode ? { languageCode: input.languageCode } : {}),
    });
    await repo.insert(row);
    return repo.findOneByOrFail({ id: row.id });
  }

  findById(id: string): Promise<TelegramUserEntity | null> {
    return this.dataSource.getRepository(TelegramUserEntity).findOneBy({ id });
  }

  findByTelegramId(telegramId: string): Promise<TelegramUserEntity | null> {
    return this.dataSource.getRepository(TelegramUserEntity).findOneBy({ telegramId });
  }

  findByUser(userId: string): Promise<TelegramUserEntity[]> {
    return this.dataSource.getRepository(TelegramUserEntity).find({ where: { userId }, order: { createdAt: 'ASC' } });
  }

  /** Links the Telegram account holding `registrationCode` to a platform user; single use. */
  async linkByRegistrationCode(registrationCode: string, userId: string, now: Date): Promise<TelegramUserEntity | null> {
    const rows = returningRows<{ id: string }>(await this.dataSource.query(
      `UPDATE auth.telegram_users
          SET user_id = $2, is_verified = true, verified_at = $3, status = 'active', registration_code = NULL, updated_at = $3
        WHERE registration_code = $1
      RETURNING id`,
      [registrationCode, userId, now],
    ));
    return rows.length ? this.findById(rows[0].id) : null;
  }
}
