import { randomBytes } from 'node:crypto';
import { SecretVault, UnknownMasterKeyError } from './secret-vault';

const keyA = randomBytes(32);
const keyB = randomBytes(32);

describe('SecretVault', () => {
  const vault = new SecretVault({ currentId: 'a', current: keyA, previous: new Map() });

  it('round-trips a secret and never stores it in clear', () => {
    const box = vault.encrypt('my-exchange-secret', 'user_api_keys:u1:secret');
    expect(box).not.toContain('my-exchange-secret');
    expect(box.startsWith('v1.a.')).toBe(true);
    expect(vault.decrypt(box, 'user_api_keys:u1:secret')).toBe('my-exchange-secret');
  });

  it('uses a fresh IV each time', () => {
    expect(vault.encrypt('same', 'c')).not.toBe(vault.encrypt('same', 'c'));
  });

  it('refuses a ciphertext moved to another context (another user or field)', () => {
    const box = vault.encrypt('s', 'user_api_keys:u1:secret');
    expect(() => vault.decrypt(box, 'user_api_keys:u2:secret')).toThrow();
  });

  it('refuses a tampered ciphertext', () => {
    const box = vault.encrypt('secret-value', 'c');
    const parts = box.split('.');
    const data = Buffer.from(parts[4], 'base64url');
    data[0] ^= 1;
    parts[4] = data.toString('base64url');
    expect(() => vault.decrypt(parts.join('.'), 'c')).toThrow();
  });

  it('decrypts under a previous key and re-encrypts under the current one (rotation)', () => {
    const old = new SecretVault({ currentId: 'b', current: keyB, previous: new Map() }).encrypt('rotated', 'c');
    const rotated = new SecretVault({ currentId: 'a', current: keyA, previous: new Map([['b', keyB]]) });
    const again = rotated.reencrypt(old, 'c');
    expect(rotated.keyIdOf(again)).toBe('a');
    expect(vault.decrypt(again, 'c')).toBe('rotated');
  });

  it('names the missing key when a ciphertext was made under an unknown one', () => {
    const old = new SecretVault({ currentId: 'gone', current: keyB, previous: new Map() }).encrypt('x', 'c');
    expect(() => vault.decrypt(old, 'c')).toThrow(UnknownMasterKeyError);
  });
});
