import { Command } from 'commander';
import { withInternalRpc } from './user.command';

/**
 * `tradectl keys rotate`: after auth was restarted with a new MASTER_KEY / MASTER_KEY_ID and the old
 * key in MASTER_KEYS_PREVIOUS, re-encrypts every stored exchange key and TOTP secret under the new
 * key. Then the old key can be dropped from MASTER_KEYS_PREVIOUS.
 */
export function registerKeysCommand(program: Command): void {
  const keys = program.command('keys').description('the exchange-key vault (talks to the running auth service)');
  keys
    .command('rotate')
    .description('re-encrypt every stored secret under the current master key')
    .action(async () => {
      const result = await withInternalRpc((rpc, internalToken) => rpc.send('auth.apiKeys.rotateMasterKey', { internalToken }));
      console.log(`re-encrypted ${result.apiKeysReencrypted} exchange keys and ${result.twoFactorSecretsReencrypted} TOTP secrets under master key ${result.keyId}`);
    });
}
