import type { AuthTokens } from '../auth-views/auth-views';

export const PATTERN = 'auth.refresh' as const;
export { AuthRefreshRequest as Request } from './auth-refresh.request';
export type Response = AuthTokens;
