import type { AuthUserView } from '../auth-views/auth-views';

export const PATTERN = 'auth.me' as const;
export { AuthMeRequest as Request } from './auth-me.request';
export type Response = AuthUserView;
