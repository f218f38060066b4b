import type { ApiKeyView } from '../auth-views/auth-views';

export const PATTERN = 'auth.apiKeys.create' as const;
export { AuthApiKeysCreateRequest as Request } from './auth-api-keys-create.request';
export type Response = ApiKeyView;
