import type { AuthUserView } from '../auth-views/auth-views';

export const PATTERN = 'auth.register' as const;
export { AuthRegisterRequest as Request } from './auth-register.request';
export type Response = AuthUserView;
