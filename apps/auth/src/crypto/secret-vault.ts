import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;

export interface MasterKeys {
  readonly currentId: string;
  readonly current: Buffer;
  /** Retired keys, by id, still accepted for decryption. */
  readonly previous: ReadonlyMap<string, Buffer>;
}

export class UnknownMasterKeyError extends Error {
  constructor(readonly keyId: string) {
    super(`no master key "${keyId}" configured (MASTER_KEY_ID / MASTER_KEYS_PREVIOUS)`);
    this.name = UnknownMasterKeyError.name;
  }
}

/**
 * AES-256-GCM under the master key. A ciphertext reads `v1.<keyId>.<iv>.<tag>.<data>` (base64url
 * parts), so rotation knows which key opened it. `context` is bound as additional authenticated
 * data (e.g. `user_api_keys:<userId>:secret`): a ciphertext copied to another row or user fails.
 */
export class SecretVault {
  constructor(private readonly keys: MasterKeys) {
    if (keys.current.length !== 32) throw new Error('the master key must be 32 bytes');
  }

  get currentKeyId(): string {
    return this.keys.currentId;
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.keys.current, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keys.currentId, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
  }

  decrypt(ciphertext: string, context: string): string {
    const [version, keyId, iv, tag, data] = ciphertext.split('.');
    if (version !== VERSION || !keyId || iv === undefined || tag === undefined || data === undefined) throw new Error('malformed ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.keyFor(keyId), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  keyIdOf(ciphertext: string): string {
    return ciphertext.split('.')[1] ?? '';
  }

  /** Decrypts under whichever key made it and encrypts under the current one. */
  reencrypt(ciphertext: string, context: string): string {
    return this.encrypt(this.decrypt(ciphertext, context), context);
  }

  private keyFor(keyId: string): Buffer {
    if (keyId === this.keys.currentId) return this.keys.current;
    const key = this.keys.previous.get(keyId);
    if (!key) throw new UnknownMasterKeyError(keyId);
    return key;
  }
}
