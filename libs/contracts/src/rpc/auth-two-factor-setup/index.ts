export const PATTERN = 'auth.twoFactor.setup' as const;
export { AuthTwoFactorSetupRequest as Request } from './auth-two-factor-setup.request';
export type Response = { readonly secret: string; readonly otpauthUrl: string };
