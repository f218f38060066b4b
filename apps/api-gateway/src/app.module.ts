import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { REDIS_CLIENT, ServiceCoreModule } from '@trading/service-runtime';
import { RpcClientModule } from '@trading/streams';
import type Redis from 'ioredis';
import { createSecretKey } from 'node:crypto';
import { ApiGatewayEnv } from './config/api-gateway.env';
import { AllErrorsFilter } from './http/all-errors.filter';
import { GatewayValidationPipe } from './http/validation.pipe';
import { gatewayControllers } from './routes';
import { GATEWAY_NAMESPACE, JwtAuthGuard } from './security/jwt-auth.guard';
import { RolesGuard } from './security/roles.guard';
import { GatewayThrottlerGuard } from './throttling/gateway-throttler.guard';
import { gatewayThrottlers } from './throttling/gateway-throttlers';

/** The /api/v1 routes (and only them: the OpenAPI document is built from this module). */
@Module({})
export class GatewayRoutesModule {
  static register(): DynamicModule {
    return { module: GatewayRoutesModule, controllers: gatewayControllers };
  }
}

@Module({})
export class ApiGatewayAppModule {
  static forRoot(config: ApiGatewayEnv): DynamicModule {
    return {
      module: ApiGatewayAppModule,
      imports: [
        ServiceCoreModule.forRoot({ service: 'api-gateway', config }),
        RpcClientModule.register({ redisUrl: config.REDIS_URL, namespace: config.REDIS_NAMESPACE, defaultTimeoutMs: config.RPC_TIMEOUT_MS }),
        // A KeyObject: given a string, jsonwebtoken first tries (and fails) to parse it as a PEM public key on every verify.
        JwtModule.register({ global: true, secret: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')), verifyOptions: { algorithms: ['HS256'] } }),
        ThrottlerModule.forRootAsync({ inject: [REDIS_CLIENT], useFactory: (redis: Redis) => gatewayThrottlers(config, redis) }),
        GatewayRoutesModule.register(),
      ],
      providers: [
        { provide: GATEWAY_NAMESPACE, useValue: config.REDIS_NAMESPACE },
        // Guards run in this order: who is calling, how often, with which role.
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        { provide: APP_GUARD, useClass: GatewayThrottlerGuard },
        { provide: APP_GUARD, useClass: RolesGuard },
        { provide: APP_PIPE, useClass: GatewayValidationPipe },
        { provide: APP_FILTER, useClass: AllErrorsFilter },
      ],
    };
  }
}
