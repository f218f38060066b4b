import type { AuthUserView } from '../auth-views/auth-views';

export const PATTERN = 'auth.users.get' as const;
export { AuthUsersGetRequest as Request } from './auth-users-get.request';
export type Response = AuthUserView;
