export const PATTERN = 'auth.passwordReset.request' as const;
export { AuthPasswordResetRequestRequest as Request } from './auth-password-reset-request.request';
export type Response = { readonly accepted: true; readonly resetToken?: string; readonly expiresAt?: string };
