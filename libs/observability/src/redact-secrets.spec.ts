import { EventEmitter } from 'node:events';
import { maskSecret, REDACTED, redactSecrets } from './redact-secrets';

describe('redactSecrets', () => {
  it('replaces credential-like keys at any depth and keeps the rest', () => {
    const input = {
      user: 'alice',
      password: 'hunter2',
      nested: { apiKey: 'AKIA123', api_key: 'x', secretKey: 's', list: [{ passphrase: 'p', ok: 1 }] },
      headers: { Authorization: 'Bearer abc' },
      refreshToken: 'rt',
    };
    expect(redactSecrets(input)).toEqual({
      user: 'alice',
      password: REDACTED,
      nested: { apiKey: REDACTED, api_key: REDACTED, secretKey: REDACTED, list: [{ passphrase: REDACTED, ok: 1 }] },
      headers: { Authorization: REDACTED },
      refreshToken: REDACTED,
    });
    expect(input.password).toBe('hunter2');
  });

  it('returns an object without secrets as it is, and copies only the branches it changes', () => {
    const clean = { a: 1, nested: { b: [1, { c: 'x' }] }, when: new Date(0) };
    expect(redactSecrets(clean)).toBe(clean);
    const mixed = { keep: { a: 1 }, change: { token: 't', other: 2 }, list: [{ ok: 1 }, { secret: 's' }] };
    const out = redactSecrets(mixed);
    expect(out.keep).toBe(mixed.keep);
    expect(out.change).toEqual({ token: REDACTED, other: 2 });
    expect(out.list[0]).toBe(mixed.list[0]);
    expect(out.list[1]).toEqual({ secret: REDACTED });
    expect(mixed.change.token).toBe('t');
    expect(mixed.list[1].secret).toBe('s');
  });

  it('leaves emitters (http requests, sockets, clients) to the serializers instead of walking them', () => {
    const request = Object.assign(new EventEmitter(), { headers: { authorization: 'Bearer abc' } });
    const line = { req: request, note: { token: 't' } };
    const out = redactSecrets(line);
    expect(out.req).toBe(request);
    expect(out.note).toEqual({ token: REDACTED });
  });

  it('leaves a null or undefined credential as it is (nothing to hide)', () => {
    expect(redactSecrets({ password: null, token: undefined })).toEqual({ password: null, token: undefined });
  });

  it('masks a credential for display', () => {
    expect(maskSecret('abcdefghijklmnop')).toBe('abcd…mnop');
    expect(maskSecret('short')).toBe('****');
  });
});
