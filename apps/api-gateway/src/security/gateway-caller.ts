import type { RpcCaller, UserRole } from '@trading/contracts';

/** The authenticated user of a request, from a verified access token. */
export interface GatewayCaller {
  readonly userId: string;
  readonly role: UserRole;
  /** The session this token was issued with (logout ends its whole login). */
  readonly sid: string;
}

export interface RequestWithCaller {
  caller?: GatewayCaller;
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** What every RPC request carries: the owning service decides ownership from it. */
export function rpcCaller(caller: GatewayCaller): RpcCaller {
  return { userId: caller.userId, role: caller.role };
}
