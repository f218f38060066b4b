import type { Type } from '@nestjs/common';
import { AuthController } from './auth/auth.controller';
import { MarketController } from './market/market.controller';
import { KeysController } from './keys/keys.controller';
import { UsersController } from './users/users.controller';
import { BacktestsController } from './strategy/backtests.controller';
import { BotsController } from './strategy/bots.controller';
import { SignalsController } from './strategy/signals.controller';
import { StrategiesController } from './strategy/strategies.controller';
import { RiskController } from './risk/risk.controller';
import { AnalyticsController } from './analytics/analytics.controller';
import { OrdersController } from './trading/orders.controller';
import { BalancesController, PositionsController, TradesController } from './trading/positions.controller';

/**
 * Every HTTP area of the gateway, served under /api/v1 and documented at /docs.
 *
 * To add an area (bots, orders, risk, analytics, market):
 *  1. `apps/api-gateway/src/<area>/<area>.controller.ts`: `@Controller('<area>')`, `@ApiTags('<area>')`,
 *     `@ApiBearerAuth()`, one-line handlers that forward to the owning service:
 *       `return this.rpc.send(RpcPatterns.BotsGet, { caller: rpcCaller(caller), botId: id });`
 *     with `@Caller() caller: GatewayCaller` (from the verified access token). Every request carries
 *     `caller: { userId, role }` (class `RpcCaller` in @trading/contracts, validated nested with
 *     `@ValidateNested() @Type(() => RpcCaller)`): the owning service answers another user's
 *     resource with 404 (`RpcDomainError(404, ...)`), and lets an admin see everything.
 *     RpcClient has the gateway's default timeout (RPC_TIMEOUT_MS); pass `{ timeoutMs }` as the
 *     third argument for a slower call. A down service becomes 503, a timeout 504 (AllErrorsFilter).
 *  2. `apps/api-gateway/src/<area>/<area>.dto.ts`: request DTOs with class-validator and
 *     `@ApiProperty({ example })` on every field (the global ValidationPipe refuses unknown fields;
 *     quantities and prices are decimal strings: `@IsDecimalString()` from @trading/contracts),
 *     and response DTOs for `@ApiResponse({ status, type })`. Ids in paths: `new ParseUUIDPipe()`.
 *  3. Access: authenticated by default; `@Public()` only for anonymous routes, `@Roles('admin')`
 *     for admin-only ones (403 for others), `@SensitiveAuthRoute()` for credential-guessing targets.
 *  4. Add the controller to `gatewayControllers` below (one line).
 *  5. Add one row per route to `ROUTE_ACCESS` in `test/authorization-matrix.ts` (expected status for
 *     anonymous, another user, owner, admin): the end-to-end matrix reads /docs-json and fails on a
 *     route without a row.
 */
export const gatewayControllers: Type<unknown>[] = [AuthController, KeysController, UsersController, StrategiesController, BotsController, SignalsController, BacktestsController, RiskController, AnalyticsController, OrdersController, PositionsController, TradesController, BalancesController, MarketController];
