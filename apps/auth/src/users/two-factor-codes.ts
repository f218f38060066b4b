import type Redis from 'ioredis';
import { authenticator } from 'otplib';
import { LuaCommand, RpcDomainError } from '@trading/streams';
import { SecretVault } from '../crypto/secret-vault';

const ISSUER = 'Trading Platform';
const STEP_MS = 30_000;

// The newest time step a user's code was accepted for; a code of that step or an older one is refused.
// Kept a little longer than the ±1-step window, so no accepted code can come back.
const CLAIM_STEP = new LuaCommand<number>(
  'authClaimTotpStep',
  `
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
if tonumber(ARGV[1]) <= last then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`,
  1,
);

/**
 * TOTP (RFC 6238, 30 s, 6 digits, ±1 step) with the secret stored encrypted under the master key.
 * Each code is accepted once (RFC 6238 §5.2): after a code of step n was accepted, codes of step n and
 * before are refused for that user, across every auth instance (the last step is kept in Redis).
 */
export class TwoFactorCodes {
  private readonly totp = authenticator.clone({ window: 1 });

  constructor(
    private readonly vault: SecretVault,
    private readonly redis: Redis,
    private readonly namespace: string,
  ) {}

  newSecret(): string {
    return this.totp.generateSecret(20);
  }

  otpauthUrl(email: string, secret: string): string {
    return this.totp.keyuri(email, ISSUER, secret);
  }

  seal(userId: string, secret: string): string {
    return this.vault.encrypt(secret, contextOf(userId));
  }

  reseal(userId: string, sealed: string): string {
    return this.vault.reencrypt(sealed, contextOf(userId));
  }

  /** 'accepted', 'wrong' (not a current code) or 'reused' (this code, or a newer one, was already accepted). */
  async use(user: { id: string; twoFactorSecret: string | null }, code: string, now = Date.now()): Promise<'accepted' | 'wrong' | 'reused'> {
    if (!user.twoFactorSecret || !/^\d{6}$/.test(code)) return 'wrong';
    const secret = this.vault.decrypt(user.twoFactorSecret, contextOf(user.id));
    const delta = this.totp.clone({ epoch: now }).checkDelta(code, secret);
    if (delta === null) return 'wrong';
    const step = Math.floor(now / STEP_MS) + delta;
    let claimed: number;
    try {
      claimed = await CLAIM_STEP.run(this.redis, [`${this.namespace}auth:totp-step:${user.id}`], [step, 4 * STEP_MS]);
    } catch {
      throw new RpcDomainError(503, 'TWO_FACTOR_UNAVAILABLE', 'Cannot check the two-factor code right now; try again');
    }
    return claimed === 1 ? 'accepted' : 'reused';
  }
}

const contextOf = (userId: string) => `users:${userId}:two_factor_secret`;
