import type { AuthUserView } from '../auth-views/auth-views';

export const PATTERN = 'auth.users.list' as const;
export { AuthUsersListRequest as Request } from './auth-users-list.request';
export type Response = { readonly items: AuthUserView[]; readonly next: string | null };
