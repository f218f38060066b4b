import { RpcClient } from '@trading/streams';
import { createTestDatabase, freePort, repoRoot, spawnNode, SpawnedProcess, TestDatabase, testRedisUrl, uniqueRedisNamespace, waitFor } from '@trading/testing';
import Redis from 'ioredis';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const INTERNAL_RPC_TOKEN = 'test-internal-rpc-token-0123456789abcdef0123';
export const JWT_SECRET = 'test-jwt-secret-0123456789abcdef0123456789abcdef';
export const MASTER_KEY = Buffer.alloc(32, 3).toString('base64');

const AUTH_MAIN = 'dist/apps/auth/src/main.js';
const GATEWAY_MAIN = 'dist/apps/api-gateway/src/main.js';
const STRATEGY_MAIN = 'dist/apps/strategy/src/main.js';
const RISK_MAIN = 'dist/apps/risk/src/main.js';
const ANALYTICS_MAIN = 'dist/apps/analytics/src/main.js';
const TRADING_ENGINE_MAIN = 'dist/apps/trading-engine/src/main.js';
const MARKET_DATA_MAIN = 'dist/apps/market-data/src/main.js';

export interface StackOptions {
  gateways?: number;
  authEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
  /** Also run the strategy service (its schema migrated in the same database) behind the strategy routes. */
  strategy?: boolean;
  /** Also run the risk and the analytics services (their schemas migrated in the same database) behind the risk and analytics routes. */
  risk?: boolean;
  analytics?: boolean;
  /** Also run the trading engine (its schema migrated in the same database) behind the orders, positions, trades and balances routes. */
  trading?: boolean;
  /** Extra environment of the trading engine (a live exchange's EXCHANGE_OVERRIDES, INTERNAL_RPC_TOKEN). */
  tradingEnv?: Record<string, string>;
  /** Also run market-data (no feed; its schema migrated) behind the market routes. */
  market?: boolean;
}

export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, with Content-Type application/json unless `headers` say otherwise. */
  rawBody?: string;
  headers?: Record<string, string>;
  gateway?: number;
}

/**
 * The real thing for end-to-end tests: the built auth service and N gateway processes on their own
 * database and Redis namespace, every line they print captured.
 */
export class GatewayStack {
  private auth: SpawnedProcess | null = null;
  private strategy: SpawnedProcess | null = null;
  private readonly extraServices: SpawnedProcess[] = [];
  private readonly gateways: SpawnedProcess[] = [];
  private readonly gatewayPorts: number[] = [];
  private readonly retired: SpawnedProcess[] = [];
  private rpcClient: RpcClient | null = null;

  private constructor(
    readonly db: TestDatabase,
    readonly namespace: string,
    private readonly options: StackOptions,
  ) {}

  static async start(label: string, options: StackOptions = {}): Promise<GatewayStack> {
    for (const script of [AUTH_MAIN, GATEWAY_MAIN]) {
      if (!existsSync(path.join(repoRoot, script))) throw new Error(`${script} is missing: run \`node scripts/build.js\` first (npm test does)`);
    }
    const db = await createTestDatabase(label);
    const stack = new GatewayStack(db, uniqueRedisNamespace(label), options);
    try {
      stack.migrate();
    } catch (error) {
      await db.drop();
      throw error;
    }
    try {
      if (options.risk) await stack.startService('risk', RISK_MAIN);
      if (options.analytics) await stack.startService('analytics', ANALYTICS_MAIN);
      if (options.trading) await stack.startService('trading-engine', TRADING_ENGINE_MAIN, options.tradingEnv);
      if (options.market) await stack.startService('market-data', MARKET_DATA_MAIN, { MARKET_FEEDS: 'none' });
      if (options.strategy) await stack.startStrategy();
      await stack.startAuth();
      for (let i = 0; i < (options.gateways ?? 1); i++) await stack.startGateway();
    } catch (error) {
      await stack.stop();
      throw error;
    }
    return stack;
  }

  /** Applies the migrations of auth and of every other service the stack runs, in its database. */
  private migrate(): void {
    const migrated = spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/auth/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: this.db.url }, encoding: 'utf8' });
    if (migrated.status !== 0) throw new Error(`auth migrations failed: ${migrated.stderr}`);
    if (this.options.strategy) {
      const strategyMigrated = spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/strategy/src/migrate.js'), 'up'], { env: { ...process.env, DATABASE_URL: this.db.url }, encoding: 'utf8' });
      if (strategyMigrated.status !== 0) throw new Error(`strategy migrations failed: ${strategyMigrated.stderr}`);
    }
    for (const service of ['risk', 'analytics', 'trading', 'market'] as const) {
      if (!this.options[service]) continue;
      const migratedService = spawnSync(process.execPath, [path.join(repoRoot, `dist/apps/${{ trading: 'trading-engine', market: 'market-data' }[service as string] ?? service}/src/migrate.js`), 'up'], { env: { ...process.env, DATABASE_URL: this.db.url }, encoding: 'utf8' });
      if (migratedService.status !== 0) throw new Error(`${service} migrations failed: ${migratedService.stderr}`);
    }
  }

  private commonEnv(): Record<string, string> {
    return { DATABASE_URL: this.db.url, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: this.namespace, NODE_ENV: 'test', LOG_LEVEL: 'debug', JWT_SECRET, SHUTDOWN_TIMEOUT_MS: '5000' };
  }

  async startAuth(extraEnv: Record<string, string> = {}): Promise<void> {
    const port = await freePort();
    this.auth = spawnNode(AUTH_MAIN, [], { ...this.commonEnv(), PORT: String(port), INTERNAL_RPC_TOKEN, MASTER_KEY, MASTER_KEY_ID: 'k1', ...this.options.authEnv, ...extraEnv });
    await this.waitReady(`http://127.0.0.1:${port}`, this.auth, 'auth');
  }

  private async startStrategy(): Promise<void> {
    const port = await freePort();
    this.strategy = spawnNode(STRATEGY_MAIN, [], { ...this.commonEnv(), PORT: String(port), LOG_LEVEL: 'warn', BACKTEST_POLL_INTERVAL_MS: '200' });
    await this.waitReady(`http://127.0.0.1:${port}`, this.strategy, 'strategy');
  }

  private async startService(name: string, script: string, env: Record<string, string> = {}): Promise<void> {
    const port = await freePort();
    const proc = spawnNode(script, [], { ...this.commonEnv(), PORT: String(port), LOG_LEVEL: 'warn', ...env });
    this.extraServices.push(proc);
    await this.waitReady(`http://127.0.0.1:${port}`, proc, name);
  }

  /** Freezes (SIGSTOP) or thaws (SIGCONT) auth: it stays subscribed but answers nothing, like a hung service. */
  freezeAuth(frozen: boolean): void {
    this.auth?.child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
  }

  /** Stops auth (SIGTERM) and keeps its output for `logs()`. */
  async stopAuth(): Promise<void> {
    if (!this.auth) return;
    const auth = this.auth;
    this.auth = null;
    this.retired.push(auth);
    auth.child.kill('SIGTERM');
    await auth.exited;
  }

  /** One more gateway instance (its index for `request({ gateway })`), with extra environment if given. */
  async startGateway(env: Record<string, string> = {}): Promise<number> {
    const port = await freePort();
    const gateway = spawnNode(GATEWAY_MAIN, [], { ...this.commonEnv(), PORT: String(port), RATE_LIMIT_DEFAULT: '100000/60', RATE_LIMIT_AUTH_IP: '100000/60', RATE_LIMIT_AUTH_ACCOUNT: '100000/60', ...this.options.gatewayEnv, ...env });
    this.gateways.push(gateway);
    this.gatewayPorts.push(port);
    await this.waitReady(`http://127.0.0.1:${port}`, gateway, 'api-gateway');
    return this.gatewayPorts.length - 1;
  }

  private async waitReady(base: string, proc: SpawnedProcess, name: string): Promise<void> {
    let exited = false;
    void proc.exited.then(() => (exited = true));
    await waitFor(
      async () => {
        if (exited) throw new Error(`${name} exited during start:\n${proc.output()}`);
        const res = await fetch(`${base}/health/ready`, { signal: AbortSignal.timeout(2000) });
        return res.status === 200;
      },
      { timeoutMs: 30_000, what: `${name} ready` },
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${proc.output().slice(-4000)}`);
    });
  }

  url(gateway = 0): string {
    return `http://127.0.0.1:${this.gatewayPorts[gateway]}`;
  }

  /** Every line every process of the stack printed so far. */
  logs(): string {
    return [...this.retired, ...(this.auth ? [this.auth] : []), ...(this.strategy ? [this.strategy] : []), ...this.extraServices, ...this.gateways].map((p) => p.output()).join('\n');
  }

  /** An internal caller (like the trading-engine or tradectl) talking RPC to auth directly. */
  rpc(): RpcClient {
    this.rpcClient ??= new RpcClient({ redisUrl: testRedisUrl(), namespace: this.namespace, defaultTimeoutMs: 5000 });
    return this.rpcClient;
  }

  /** Runs the built `tradectl` against this stack's auth service. */
  tradectl(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [path.join(repoRoot, 'dist/apps/cli/src/main.js'), ...args], {
      env: { ...process.env, REDIS_URL: testRedisUrl(), REDIS_NAMESPACE: this.namespace, INTERNAL_RPC_TOKEN },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  async request(method: string, route: string, options: RequestOptions = {}): Promise<HttpResult> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined;
    if (options.rawBody !== undefined) payload = options.rawBody;
    else if (options.body !== undefined) payload = JSON.stringify(options.body);
    if (payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
    const res = await fetch(`${this.url(options.gateway ?? 0)}${route}`, { method, headers, body: payload, signal: AbortSignal.timeout(15_000) });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: res.status, headers: res.headers, text, body };
  }

  async stop(): Promise<void> {
    await this.rpcClient?.close().catch(() => undefined);
    const all = [...this.gateways, ...(this.auth ? [this.auth] : []), ...(this.strategy ? [this.strategy] : []), ...this.extraServices];
    for (const p of all) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
    await Promise.all(all.map((p) => Promise.race([p.exited, new Promise((r) => setTimeout(r, 8000).unref())])));
    for (const p of all) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    const redis = new Redis(testRedisUrl(), { lazyConnect: true });
    try {
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.namespace}*`, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
    await this.db.drop();
  }
}

export const STRONG_PASSWORD = 'Correct-Horse-Battery-9';

let userCounter = 0;
export function uniqueEmail(label = 'user'): string {
  userCounter += 1;
  return `${label}-${process.pid}-${Date.now().toString(36)}-${userCounter}@example.com`;
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

/** Registers (or, for admin, creates through the internal RPC as tradectl does) and logs in. */
export async function aUser(stack: GatewayStack, options: { admin?: boolean; label?: string } = {}): Promise<TestUser> {
  const email = uniqueEmail(options.label ?? (options.admin ? 'admin' : 'user'));
  if (options.admin) {
    await stack.rpc().send('auth.users.create', { internalToken: INTERNAL_RPC_TOKEN, email, password: STRONG_PASSWORD, role: 'admin' });
  } else {
    const registered = await stack.request('POST', '/api/v1/auth/register', { body: { email, password: STRONG_PASSWORD } });
    if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${registered.text}`);
  }
  const login = await stack.request('POST', '/api/v1/auth/login', { body: { email, password: STRONG_PASSWORD } });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${login.text}`);
  return { id: login.body.user.id, email, password: STRONG_PASSWORD, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken };
}
