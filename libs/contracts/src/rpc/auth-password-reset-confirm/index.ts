import type { Ack } from '../auth-views/auth-views';

export const PATTERN = 'auth.passwordReset.confirm' as const;
export { AuthPasswordResetConfirmRequest as Request } from './auth-password-reset-confirm.request';
export type Response = Ack;
