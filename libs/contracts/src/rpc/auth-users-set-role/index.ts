import type { AuthUserView } from '../auth-views/auth-views';

export const PATTERN = 'auth.users.setRole' as const;
export { AuthUsersSetRoleRequest as Request } from './auth-users-set-role.request';
export type Response = AuthUserView;
