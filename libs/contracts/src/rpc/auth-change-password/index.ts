import type { Ack } from '../auth-views/auth-views';

export const PATTERN = 'auth.changePassword' as const;
export { AuthChangePasswordRequest as Request } from './auth-change-password.request';
export type Response = Ack;
