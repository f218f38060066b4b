import { RpcPatterns } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { repoRoot, testRedisUrl } from '@trading/testing';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { v7 } from 'uuid';
import { EngineHarness } from './engine.fixture';

/**
 * What every live-execution spec sets up before its engine: the built auth service beside it (auth's migrations on the
 * harness's database, the master key to encrypt keys with, the internal token the engine decrypts them with), an RPC
 * client, and a trader whose exchange key auth stores encrypted.
 */
export interface LiveAccount {
  readonly rpc: RpcClient;
  readonly userId: string;
  /** Stores a key of the trader and returns its id. */
  storeKey(key: { exchange: string; label: string; apiKey: string; secret: string }): Promise<string>;
}

export async function startLiveAccount(
  h: EngineHarness,
  options: {
    instance: string;
    internalRpcToken: string;
    masterKey: string;
    masterKeyId: string;
    userAgent: string;
    rpcTimeoutMs?: number;
  },
): Promise<LiveAccount> {
  const migrated = spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/auth/src/migrate.js'), 'up'], {
    env: { ...process.env, DATABASE_URL: h.db.url },
    encoding: 'utf8',
  });
  if (migrated.status !== 0) throw new Error(`auth migrations failed: ${migrated.stderr}`);
  await h.startService('auth', options.instance, {
    INTERNAL_RPC_TOKEN: options.internalRpcToken,
    MASTER_KEY: options.masterKey,
    MASTER_KEY_ID: options.masterKeyId,
  });
  const rpc = new RpcClient({
    redisUrl: testRedisUrl(),
    namespace: h.namespace,
    defaultTimeoutMs: options.rpcTimeoutMs ?? 5000,
  });
  const origin = { ip: '127.0.0.1', userAgent: options.userAgent };
  const user = await rpc.send(RpcPatterns.AuthRegister, {
    email: `${options.userAgent}-${v7().slice(-12)}@example.com`,
    password: 'Correct-Horse-9-Battery',
    origin,
  });
  return {
    rpc,
    userId: user.id,
    storeKey: async ({ exchange, label, apiKey, secret }) =>
      (
        await rpc.send(RpcPatterns.AuthApiKeysCreate, {
          caller: { userId: user.id, role: 'trader' },
          exchange,
          label,
          apiKey,
          secret,
          testnet: false,
          origin,
        })
      ).id,
  };
}

/** A trading.orders row as the live specs read it (`SELECT *`). */
export interface OrderRow {
  id: string;
  client_order_id: string;
  exchange_order_id: string | null;
  mode: string;
  source: string;
  side: string;
  order_type: string;
  status: string;
  quantity: string;
  filled_quantity: string;
  avg_fill_price: string | null;
  fees: string;
  fee_currency: string | null;
  error_code: string | null;
  retry_count: number;
  rejection_reason: string | null;
  reason_codes: string[] | null;
  order_metadata: Record<string, unknown>;
}
