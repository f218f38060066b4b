import type { Ack } from '../auth-views/auth-views';

export const PATTERN = 'auth.logout' as const;
export { AuthLogoutRequest as Request } from './auth-logout.request';
export type Response = Ack;
