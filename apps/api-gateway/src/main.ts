import 'reflect-metadata';
import helmet from '@fastify/helmet';
import { RequestMethod } from '@nestjs/common';
import { loadConfigOrExit, main, parseTrustProxy } from '@trading/service-runtime';
import { ApiGatewayAppModule } from './app.module';
import { ApiGatewayEnv } from './config/api-gateway.env';
import { serveOpenApi } from './openapi/openapi';

const { BODY_LIMIT_BYTES, TRUST_PROXY } = loadConfigOrExit('api-gateway', ApiGatewayEnv);

main({
  service: 'api-gateway',
  env: ApiGatewayEnv,
  defaultPort: 3000,
  bodyLimitBytes: BODY_LIMIT_BYTES,
  trustProxy: parseTrustProxy(TRUST_PROXY),
  module: (config) => ApiGatewayAppModule.forRoot(config),
  configure: async (app, config) => {
    // Errors Fastify raises before a route (invalid JSON, body over the limit, wrong content type)
    // reach AllErrorsFilter as HttpExceptions through Nest's own Fastify error handler.
    await app.register(helmet, {
      // Swagger UI at /docs needs its inline bootstrap script and styles.
      contentSecurityPolicy: {
        directives: {
          defaultSrc: [`'self'`],
          styleSrc: [`'self'`, `'unsafe-inline'`],
          imgSrc: [`'self'`, 'data:', 'validator.swagger.io'],
          scriptSrc: [`'self'`, `'unsafe-inline'`],
        },
      },
    });
    const origins = config.CORS_ORIGINS.split(',').filter(Boolean);
    if (origins.length > 0) {
      app.enableCors({
        origin: origins.includes('*') ? true : origins,
        methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id'],
        exposedHeaders: ['X-Request-Id', 'Retry-After'],
        maxAge: 600,
      });
    }
    app.setGlobalPrefix('api/v1', {
      exclude: [
        { path: 'health/live', method: RequestMethod.GET },
        { path: 'health/ready', method: RequestMethod.GET },
        { path: 'metrics', method: RequestMethod.GET },
      ],
    });
    serveOpenApi(app);
  },
});
