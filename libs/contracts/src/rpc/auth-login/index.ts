import type { AuthTokens } from '../auth-views/auth-views';

export const PATTERN = 'auth.login' as const;
export { AuthLoginRequest as Request } from './auth-login.request';
export type Response = AuthTokens;
