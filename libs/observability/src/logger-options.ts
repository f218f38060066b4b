import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { LoggerOptions } from 'pino';
import { isSecretKey, REDACTED, redactSecrets } from './redact-secrets';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** pino options every service uses: JSON lines, service name, secrets redacted at any depth. */
export function pinoOptions(service: string, level: LogLevel): LoggerOptions {
  return {
    level,
    base: { service, pid: process.pid },
    timestamp: () => `,"time":"${new Date().toISOString()}"`,
    messageKey: 'msg',
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'], censor: '[REDACTED]' },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSecrets(object),
    },
  };
}

export function requestIdOf(req: { headers: IncomingHttpHeaders }): string {
  const header = req.headers['x-request-id'];
  const given = Array.isArray(header) ? header[0] : header;
  return given && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * Options for pino-http (through nestjs-pino): every line logged while serving a request
 * carries `req.id`, the request id Fastify assigned (from X-Request-Id or a new UUID).
 */
export function pinoHttpOptions(service: string, level: LogLevel) {
  const withStatus = (_req: IncomingMessage, res: ServerResponse, value: object) => ({ ...value, statusCode: res.statusCode });
  return {
    ...pinoOptions(service, level),
    customSuccessObject: withStatus,
    customErrorObject: withStatus,
    serializers: {
      req: (req: { id?: string; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: redactUrlQuery(req.url) }),
      res: () => undefined,
    },
  };
}

/** A request URL for a log line: the value of any credential-like query parameter replaced. */
export function redactUrlQuery(url: string | undefined): string | undefined {
  const q = url?.indexOf('?') ?? -1;
  if (url === undefined || q < 0) return url;
  const params = new URLSearchParams(url.slice(q + 1));
  let changed = false;
  for (const key of new Set(params.keys())) {
    if (isSecretKey(key)) {
      params.set(key, REDACTED);
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q)}?${params.toString()}` : url;
}
