import { JwtService } from '@nestjs/jwt';
import type { AccessTokenClaims, UserRole } from '@trading/contracts';
import { createSecretKey } from 'node:crypto';

/** Short-lived HS256 access tokens (claims sub, role, sid); the gateway verifies them with the same secret. */
export class AccessTokenIssuer {
  private readonly jwt: JwtService;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.jwt = new JwtService({ secret: createSecretKey(Buffer.from(secret, 'utf8')), signOptions: { algorithm: 'HS256', expiresIn: ttlSeconds }, verifyOptions: { algorithms: ['HS256'] } });
  }

  issue(user: { id: string; role: UserRole }, sid: string): string {
    const claims: AccessTokenClaims = { sub: user.id, role: user.role, sid };
    return this.jwt.sign({ ...claims });
  }

  verify(token: string): AccessTokenClaims {
    return this.jwt.verify<AccessTokenClaims>(token);
  }
}
