import type { Ack } from '../auth-views/auth-views';

export const PATTERN = 'auth.apiKeys.delete' as const;
export { AuthApiKeysDeleteRequest as Request } from './auth-api-keys-delete.request';
export type Response = Ack;
