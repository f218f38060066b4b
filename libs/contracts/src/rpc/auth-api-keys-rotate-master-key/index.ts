export const PATTERN = 'auth.apiKeys.rotateMasterKey' as const;
export { AuthApiKeysRotateMasterKeyRequest as Request } from './auth-api-keys-rotate-master-key.request';
export type Response = { readonly keyId: string; readonly apiKeysReencrypted: number; readonly twoFactorSecretsReencrypted: number };
