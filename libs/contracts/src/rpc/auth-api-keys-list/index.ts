import type { ApiKeyView } from '../auth-views/auth-views';

export const PATTERN = 'auth.apiKeys.list' as const;
export { AuthApiKeysListRequest as Request } from './auth-api-keys-list.request';
export type Response = { readonly items: ApiKeyView[] };
