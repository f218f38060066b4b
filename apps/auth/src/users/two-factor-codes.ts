import { authenticator } from 'otplib';
import { SecretVault } from '../crypto/secret-vault';

const ISSUER = 'Trading Platform';

/** TOTP (RFC 6238, 30 s, 6 digits, ±1 step) with the secret stored encrypted under the master key. */
export class TwoFactorCodes {
  private readonly totp = authenticator.clone({ window: 1 });

  constructor(private readonly vault: SecretVault) {}

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

  verify(user: { id: string; twoFactorSecret: string | null }, code: string): boolean {
    if (!user.twoFactorSecret) return false;
    const secret = this.vault.decrypt(user.twoFactorSecret, contextOf(user.id));
    return this.totp.verify({ token: code, secret });
  }
}

const contextOf = (userId: string) => `users:${userId}:two_factor_secret`;
