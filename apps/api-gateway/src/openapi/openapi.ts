import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { GatewayRoutesModule } from '../app.module';

/** The OpenAPI document of /api/v1, generated from the controllers and DTOs; served at /docs and /docs-json. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Trading platform API')
    .setDescription(
      'REST API of the trading platform. Authenticate with POST /api/v1/auth/login and send `Authorization: Bearer <accessToken>`. ' +
        'Errors always read `{ statusCode, error, message, requestId }`. Rate limits answer 429 with Retry-After.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config, { include: [GatewayRoutesModule] });
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json', customSiteTitle: 'Trading platform API' });
}
