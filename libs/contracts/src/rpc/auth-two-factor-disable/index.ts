import type { Ack } from '../auth-views/auth-views';

export const PATTERN = 'auth.twoFactor.disable' as const;
export { AuthTwoFactorDisableRequest as Request } from './auth-two-factor-disable.request';
export type Response = Ack;
