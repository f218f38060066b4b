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

  it('masks a credential for display', () => {
    expect(maskSecret('abcdefghijklmnop')).toBe('abcd…mnop');
    expect(maskSecret('short')).toBe('****');
  });
});
