import { Command, Option } from 'commander';
import { USER_ROLES, UserRole } from '@trading/contracts';
import { RpcClient, RpcRemoteError } from '@trading/streams';

/**
 * `tradectl user create --email E --password P [--admin | --role viewer]`: creates a user through
 * the running auth service (the first admin comes from here).
 * `tradectl user reset-token --email E`: issues a single-use password-reset token (no mail yet).
 */
export function registerUserCommand(program: Command): void {
  const user = program.command('user').description('manage platform users (talks to the running auth service)');
  user
    .command('create')
    .description('create a user; --admin for an administrator')
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--password <password>', 'password (12+ chars, upper, lower, digit)')
    .option('--admin', 'make the user an admin (same as --role admin)')
    .addOption(new Option('--role <role>', 'role').choices([...USER_ROLES]).default('trader'))
    .action(async (options: { email: string; password: string; admin?: boolean; role: UserRole }) => {
      const role: UserRole = options.admin ? 'admin' : options.role;
      const created = await withInternalRpc((rpc, internalToken) =>
        rpc.send('auth.users.create', { internalToken, email: options.email, password: options.password, role }),
      );
      console.log(`created ${created.role} ${created.email} (id ${created.id})`);
    });
  user
    .command('reset-token')
    .description('issue a single-use password-reset token for a user (hand it over out of band)')
    .requiredOption('--email <email>', 'login email')
    .action(async (options: { email: string }) => {
      const issued = await withInternalRpc((rpc, internalToken) =>
        rpc.send('auth.passwordReset.request', { email: options.email, origin: { ip: null, userAgent: null }, internalToken }),
      );
      console.log(`reset token (single use, expires ${issued.expiresAt}): ${issued.resetToken}`);
      console.log('use it with POST /api/v1/auth/password/reset { "token": ..., "newPassword": ... }');
    });
}

/** The auth service's public development default; a production auth refuses it, so set INTERNAL_RPC_TOKEN there. */
const DEV_INTERNAL_RPC_TOKEN = 'dev-only-internal-rpc-token-change-me-0123456789';

/**
 * Operator commands talk to a running auth service over the internal RPC (Redis), never to its
 * database: apps do not share code, and auth stays the only writer of its schema.
 * Env: REDIS_URL, REDIS_NAMESPACE, INTERNAL_RPC_TOKEN (as the services use them).
 */
export async function withInternalRpc<T>(run: (rpc: RpcClient, internalToken: string) => Promise<T>): Promise<T> {
  const rpc = new RpcClient({ redisUrl: process.env.REDIS_URL || 'redis://127.0.0.1:6379', namespace: process.env.REDIS_NAMESPACE ?? '', defaultTimeoutMs: 30_000 });
  try {
    return await run(rpc, process.env.INTERNAL_RPC_TOKEN || DEV_INTERNAL_RPC_TOKEN);
  } catch (error) {
    if (error instanceof RpcRemoteError) throw new Error(`${error.code}: ${error.message}`);
    throw error;
  } finally {
    await rpc.close();
  }
}
