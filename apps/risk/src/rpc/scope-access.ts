import type { RpcCaller } from '@trading/contracts';
import { RpcDomainError } from '@trading/streams';
import type { RiskBook } from '../book/risk-book';
import type { RiskScope } from '../limits/risk-limit.entity';

/**
 * Who may read or change a scope's limits and state: admins everything; a user their own user scope and their own
 * bots (another user's, or an unknown bot, is answered as not found); the global scope is readable by everyone
 * and changed by admins only.
 */
export function assertScopeAccess(book: RiskBook, caller: RpcCaller, scope: RiskScope, scopeId: string | null, write: boolean): void {
  if (scope !== 'global' && !scopeId) throw new RpcDomainError(400, 'SCOPE_ID_REQUIRED', `a ${scope} scope needs its id`);
  if (scope === 'global' && scopeId) throw new RpcDomainError(400, 'SCOPE_ID_NOT_ALLOWED', 'the global scope has no id');
  if (caller.role === 'admin') return;
  if (scope === 'global') {
    if (write) throw new RpcDomainError(403, 'FORBIDDEN', 'only an admin changes global risk settings');
    return;
  }
  if (write && caller.role === 'viewer') throw new RpcDomainError(403, 'FORBIDDEN', 'viewers cannot change risk settings');
  if (scope === 'user' && scopeId !== caller.userId) throw new RpcDomainError(404, 'USER_NOT_FOUND', `user ${scopeId} not found`);
  if (scope === 'bot' && scopeId && book.ownerOf(scopeId) !== caller.userId) throw new RpcDomainError(404, 'BOT_NOT_FOUND', `bot ${scopeId} not found`);
}
