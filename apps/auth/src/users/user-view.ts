import type { AuthUserView } from '@trading/contracts';
import type { UserEntity } from './user.entity';

export function toUserView(user: UserEntity): AuthUserView {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    isActive: user.isActive,
    twoFactorEnabled: user.twoFactorEnabled,
    createdAt: user.createdAt.toISOString(),
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}
