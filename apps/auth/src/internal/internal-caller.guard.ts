import { timingSafeEqual, createHash } from 'node:crypto';
import { AuthErrors } from '../errors/auth.errors';

/**
 * Internal patterns (decrypt a key for the engine, create a user, rotate keys, issue a reset token)
 * require INTERNAL_RPC_TOKEN, which the gateway does not hold: no HTTP route can reach them.
 */
export class InternalCallerCheck {
  private readonly expected: Buffer;

  constructor(token: string) {
    this.expected = createHash('sha256').update(token).digest();
  }

  isInternal(given: string | undefined): boolean {
    if (!given) return false;
    return timingSafeEqual(createHash('sha256').update(given).digest(), this.expected);
  }

  assert(given: string | undefined): void {
    if (!this.isInternal(given)) throw AuthErrors.internalOnly();
  }
}
