import { ServiceDatabase } from '@trading/database';
import { UserApiKeyEntity } from '../api-keys/user-api-key.entity';
import { CreateUsersSessionsAndResetTokens1795300000000 } from '../migrations/1795300000000-CreateUsersSessionsAndResetTokens';
import { CreateUserApiKeys1795300001000 } from '../migrations/1795300001000-CreateUserApiKeys';
import { CreateTelegramUsers1795300002000 } from '../migrations/1795300002000-CreateTelegramUsers';
import { CreateOutbox1795300003000 } from '../migrations/1795300003000-CreateOutbox';
import { UserSessionEntity } from '../sessions/user-session.entity';
import { TelegramUserEntity } from '../telegram/telegram-user.entity';
import { PasswordResetTokenEntity } from '../users/password-reset-token.entity';
import { UserEntity } from '../users/user.entity';

export const authDatabase: ServiceDatabase = {
  service: 'auth',
  schemas: ['auth'],
  entities: [UserEntity, UserSessionEntity, PasswordResetTokenEntity, UserApiKeyEntity, TelegramUserEntity],
  migrations: [
    CreateUsersSessionsAndResetTokens1795300000000,
    CreateUserApiKeys1795300001000,
    CreateTelegramUsers1795300002000,
    CreateOutbox1795300003000,
  ],
};
