export const PATTERN = 'auth.apiKeys.decryptForEngine' as const;
export { AuthApiKeysDecryptForEngineRequest as Request } from './auth-api-keys-decrypt-for-engine.request';
export interface Response {
  readonly keyId: string;
  readonly userId: string;
  readonly exchange: string;
  readonly testnet: boolean;
  readonly apiKey: string;
  readonly secret: string;
  readonly passphrase: string | null;
}
