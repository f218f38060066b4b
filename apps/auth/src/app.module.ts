import { DynamicModule, Module } from '@nestjs/common';
import { parsePreviousMasterKeys } from './config/secret-env.validators';
import { REDIS_CLIENT, ServiceCoreModule } from '@trading/service-runtime';
import type Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { ApiKeyVaultService } from './api-keys/api-key-vault.service';
import { UserApiKeyRepository } from './api-keys/user-api-key.repository';
import { AuditRecorder } from './audit/audit-recorder';
import { OutboxRelayLifecycle } from './audit/outbox-relay.lifecycle';
import { AuthSettings } from './auth.settings';
import { AuthEnv } from './config/auth.env';
import { SecretVault } from './crypto/secret-vault';
import { authDatabase } from './database/auth.database';
import { InternalCallerCheck } from './internal/internal-caller.guard';
import { PasswordHasher } from './passwords/password-hasher';
import { AccountsRpcController } from './rpc/accounts.rpc-controller';
import { ApiKeysRpcController } from './rpc/api-keys.rpc-controller';
import { UsersRpcController } from './rpc/users.rpc-controller';
import { LoginService } from './sessions/login.service';
import { UserSessionRepository } from './sessions/user-session.repository';
import { AccessTokenIssuer } from './tokens/access-token.issuer';
import { SessionRevocations } from './tokens/session-revocations';
import { AccountService } from './users/account.service';
import { PasswordResetService } from './users/password-reset.service';
import { PasswordResetTokenRepository } from './users/password-reset-token.repository';
import { TwoFactorCodes } from './users/two-factor-codes';
import { TwoFactorService } from './users/two-factor.service';
import { UserRepository } from './users/user.repository';

@Module({})
export class AuthAppModule {
  static forRoot(config: AuthEnv): DynamicModule {
    return {
      module: AuthAppModule,
      imports: [ServiceCoreModule.forRoot({ service: 'auth', config, database: authDatabase })],
      controllers: [AccountsRpcController, UsersRpcController, ApiKeysRpcController],
      providers: [
        UserRepository,
        UserSessionRepository,
        PasswordResetTokenRepository,
        UserApiKeyRepository,
        AccountService,
        LoginService,
        PasswordResetService,
        TwoFactorService,
        ApiKeyVaultService,
        { provide: AuthSettings, useValue: new AuthSettings(config) },
        { provide: PasswordHasher, useValue: new PasswordHasher() },
        { provide: AuditRecorder, useValue: new AuditRecorder() },
        { provide: InternalCallerCheck, useValue: new InternalCallerCheck(config.INTERNAL_RPC_TOKEN) },
        { provide: AccessTokenIssuer, useValue: new AccessTokenIssuer(config.JWT_SECRET, config.JWT_ACCESS_TTL_SECONDS) },
        {
          provide: SecretVault,
          useValue: new SecretVault({
            currentId: config.MASTER_KEY_ID,
            current: Buffer.from(config.MASTER_KEY, 'base64'),
            previous: parsePreviousMasterKeys(config.MASTER_KEYS_PREVIOUS),
          }),
        },
        { provide: TwoFactorCodes, inject: [SecretVault, REDIS_CLIENT], useFactory: (vault: SecretVault, redis: Redis) => new TwoFactorCodes(vault, redis, config.REDIS_NAMESPACE) },
        {
          provide: SessionRevocations,
          inject: [REDIS_CLIENT],
          useFactory: (redis: Redis) => new SessionRevocations(redis, config.REDIS_NAMESPACE, config.JWT_ACCESS_TTL_SECONDS),
        },
        {
          provide: OutboxRelayLifecycle,
          inject: [DataSource],
          useFactory: (dataSource: DataSource) => new OutboxRelayLifecycle(dataSource, config.REDIS_URL, config.REDIS_NAMESPACE),
        },
      ],
    };
  }
}
