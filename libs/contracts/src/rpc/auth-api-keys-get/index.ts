import type { ApiKeyView } from '../auth-views/auth-views';

export const PATTERN = 'auth.apiKeys.get' as const;
export { AuthApiKeysGetRequest as Request } from './auth-api-keys-get.request';
export type Response = ApiKeyView;
