import type { Ack } from '../auth-views/auth-views';

export const PATTERN = 'auth.twoFactor.enable' as const;
export { AuthTwoFactorEnableRequest as Request } from './auth-two-factor-enable.request';
export type Response = Ack;
