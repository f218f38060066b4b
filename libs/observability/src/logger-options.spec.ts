import { Writable } from 'node:stream';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import pino from 'pino';
import { pinoHttpOptions, redactUrlQuery } from './logger-options';

describe('request log lines', () => {
  it('replace credential-like query values and keep the rest of the URL', () => {
    expect(redactUrlQuery('/api/v1/bots?limit=5')).toBe('/api/v1/bots?limit=5');
    expect(redactUrlQuery('/reset?token=abc&email=a%40b.c')).toBe('/reset?token=%5BREDACTED%5D&email=a%40b.c');
    expect(redactUrlQuery('/x?apiKey=1&apiKey=2')).toBe('/x?apiKey=%5BREDACTED%5D');
    expect(redactUrlQuery(undefined)).toBeUndefined();
  });

  it('log an http request as id, method and URL only: no header, no token', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) });
    const { serializers, ...options } = pinoHttpOptions('test', 'info');
    const logger = pino({ ...options, serializers }, sink);
    const req = Object.assign(new IncomingMessage(new Socket()), { id: 'r1', method: 'GET', url: '/api/v1/auth/reset?token=s3cret', headers: { authorization: 'Bearer s3cret' } });
    logger.info({ req, statusCode: 200 }, 'request completed');
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line.req).toEqual({ id: 'r1', method: 'GET', url: '/api/v1/auth/reset?token=%5BREDACTED%5D' });
    expect(lines[0]).not.toContain('s3cret');
  });
});
