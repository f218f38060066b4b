import type { AuthUserView } from '../auth-views/auth-views';

export const PATTERN = 'auth.users.create' as const;
export { AuthUsersCreateRequest as Request } from './auth-users-create.request';
export type Response = AuthUserView;
