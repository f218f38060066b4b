import { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ClassConstructor } from 'class-transformer';
import { Logger } from 'nestjs-pino';
import pino from 'pino';
import { pinoOptions, requestIdOf } from '@trading/observability';
import { connectStreamsConsumer, normalizeNamespace, RpcRedisServer } from '@trading/streams';
import { BaseServiceEnv } from './config/base-service.env';
import { ConfigValidationError, loadConfig } from './config/load-config';
import { instanceName } from './instance-name';

export interface RunServiceOptions<TEnv extends BaseServiceEnv> {
  service: string;
  env: ClassConstructor<TEnv>;
  defaultPort: number;
  /** The service's root module, built from its validated config. */
  module: (config: TEnv) => DynamicModule | Type<unknown>;
  /** Answer request/response calls (RPC over Redis, channels under REDIS_NAMESPACE) with the @RpcHandler methods of @RpcController() classes. */
  rpc?: boolean;
  /** Consume Redis Streams with the app's @OnStream handlers (group = service name); needs `streams` in ServiceCoreModule. */
  consumeStreams?: boolean;
  /** Hook to attach other microservices or tune the app before listen. */
  configure?: (app: NestFastifyApplication, config: TEnv) => Promise<void> | void;
  bodyLimitBytes?: number;
  /**
   * Which proxies' X-Forwarded-For to believe for the client IP (Fastify `trustProxy`): false (default: the
   * socket's address, so a client cannot choose its IP for per-IP rate limits), true, a hop count, or
   * comma-separated addresses/CIDRs. See parseTrustProxy.
   */
  trustProxy?: boolean | number | string;
}

/** Loads the config or stops the process with a message naming every bad variable. */
export function loadConfigOrExit<TEnv extends object>(service: string, env: ClassConstructor<TEnv>): TEnv {
  try {
    return loadConfig(service, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}


/**
 * Boots a service: validated config, Fastify HTTP (health, metrics, the service's routes),
 * pino logs, graceful shutdown on SIGTERM/SIGINT bounded by SHUTDOWN_TIMEOUT_MS.
 */
export async function runService<TEnv extends BaseServiceEnv>(options: RunServiceOptions<TEnv>): Promise<NestFastifyApplication> {
  const config = loadConfigOrExit(options.service, options.env);
  const port = config.PORT ?? options.defaultPort;
  const app = await NestFactory.create<NestFastifyApplication>(
    options.module(config),
    new FastifyAdapter({ bodyLimit: options.bodyLimitBytes ?? 1_048_576, trustProxy: options.trustProxy ?? false, genReqId: requestIdOf, frameworkErrors: answerFrameworkError }),
    { bufferLogs: true, abortOnError: false },
  );
  app.useLogger(app.get(Logger));
  const logger = pino(pinoOptions(options.service, config.LOG_LEVEL));
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });

  // Our own signal handling (not enableShutdownHooks) so a clean stop exits 0: close() runs
  // every module's destroy/shutdown hooks (stop consumers, finish in-flight work, close pools).
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS).unref();
    app.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);

  if (options.rpc) {
    // Handlers live in @RpcController() classes, which bind the validation pipe and the error filter.
    app.connectMicroservice({ strategy: new RpcRedisServer({ redisUrl: config.REDIS_URL, namespace: normalizeNamespace(config.REDIS_NAMESPACE) }) });
  }
  if (options.consumeStreams) connectStreamsConsumer(app);
  if (options.configure) await options.configure(app, config);
  // Init hooks (caches primed, books loaded, relays started) run before any transport delivers a message
  // or a request: startAllMicroservices does not run them, listen() would only run them afterwards.
  await app.init();
  await app.startAllMicroservices();
  await app.listen({ port, host: config.HOST });
  logger.info({ port, instance: instanceName(config) }, 'service ready to serve');
  return app;
}

/**
 * URLs Fastify refuses before any route runs (a malformed %-escape, a path parameter over 100 characters)
 * get the platform's one error body with the request id, like every other error.
 */
function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
  const statusCode = tooLong ? 414 : error.code === 'FST_ERR_BAD_URL' ? 400 : 500;
  const message = tooLong ? 'A path parameter is longer than 100 characters' : statusCode === 400 ? 'The URL is not valid (malformed percent-encoding)' : 'Internal error';
  void reply.code(statusCode).header('x-request-id', request.id).send({ statusCode, error: tooLong ? 'URI_TOO_LONG' : statusCode === 400 ? 'BAD_URL' : 'INTERNAL_ERROR', message, requestId: request.id });
}

/** TRUST_PROXY as Fastify takes it: 'false' / '' → false, 'true' → true, a number → hop count, else addresses/CIDRs. */
export function parseTrustProxy(value: string): boolean | number | string {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}

/** For main.ts: run, and on a startup failure log it and exit non-zero. */
export function main<TEnv extends BaseServiceEnv>(options: RunServiceOptions<TEnv>): void {
  runService(options).catch((error: unknown) => {
    process.stderr.write(`${options.service} failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(1);
  });
}
