import type * as BotsGet from './bots-get';
import type * as BotsList from './bots-list';
import type * as RiskPreTradeCheck from './risk-pre-trade-check';
import type * as RiskLimitsList from './risk-limits-list';
import type * as RiskLimitsSet from './risk-limits-set';
import type * as RiskLimitsDelete from './risk-limits-delete';
import type * as RiskTradingStateGet from './risk-trading-state-get';
import type * as RiskTradingStateSet from './risk-trading-state-set';
import type * as AnalyticsPerformanceGet from './analytics-performance-get';
import type * as AnalyticsEquityCurveGet from './analytics-equity-curve-get';
import type * as AnalyticsPortfolioGet from './analytics-portfolio-get';
import type * as AnalyticsDailyList from './analytics-daily-list';
import type * as AnalyticsAuditList from './analytics-audit-list';
import type * as StrategyCatalogList from './strategy-catalog-list';
import type * as StrategyBotsCreate from './strategy-bots-create';
import type * as StrategyBotsUpdate from './strategy-bots-update';
import type * as StrategyBotsGet from './strategy-bots-get';
import type * as StrategyBotsList from './strategy-bots-list';
import type * as StrategyBotsArchive from './strategy-bots-archive';
import type * as StrategyBotsStart from './strategy-bots-start';
import type * as StrategyBotsStop from './strategy-bots-stop';
import type * as StrategyBotsPause from './strategy-bots-pause';
import type * as StrategyBotsConfigurations from './strategy-bots-configurations';
import type * as StrategySignalsList from './strategy-signals-list';
import type * as StrategyBacktestsRun from './strategy-backtests-run';
import type * as StrategyBacktestsList from './strategy-backtests-list';
import type * as StrategyBacktestsGet from './strategy-backtests-get';
import type * as MarketCandlesRange from './market-candles-range';
import type * as MarketPairsList from './market-pairs-list';
import type * as MarketTickersList from './market-tickers-list';
import type * as AuthRegister from './auth-register';
import type * as AuthLogin from './auth-login';
import type * as AuthRefresh from './auth-refresh';
import type * as AuthLogout from './auth-logout';
import type * as AuthMe from './auth-me';
import type * as AuthChangePassword from './auth-change-password';
import type * as AuthPasswordResetRequest from './auth-password-reset-request';
import type * as AuthPasswordResetConfirm from './auth-password-reset-confirm';
import type * as AuthTwoFactorSetup from './auth-two-factor-setup';
import type * as AuthTwoFactorEnable from './auth-two-factor-enable';
import type * as AuthTwoFactorDisable from './auth-two-factor-disable';
import type * as AuthUsersCreate from './auth-users-create';
import type * as AuthUsersList from './auth-users-list';
import type * as AuthUsersGet from './auth-users-get';
import type * as AuthUsersSetRole from './auth-users-set-role';
import type * as AuthApiKeysCreate from './auth-api-keys-create';
import type * as AuthApiKeysList from './auth-api-keys-list';
import type * as AuthApiKeysGet from './auth-api-keys-get';
import type * as AuthApiKeysDelete from './auth-api-keys-delete';
import type * as AuthApiKeysDecryptForEngine from './auth-api-keys-decrypt-for-engine';
import type * as AuthApiKeysRotateMasterKey from './auth-api-keys-rotate-master-key';
import type * as TradingOrdersList from './trading-orders-list';
import type * as TradingOrdersGet from './trading-orders-get';
import type * as TradingOrdersPlace from './trading-orders-place';
import type * as TradingOrdersCancel from './trading-orders-cancel';
import type * as TradingTradesList from './trading-trades-list';
import type * as TradingPositionsList from './trading-positions-list';
import type * as TradingPositionsClose from './trading-positions-close';
import type * as TradingPositionsCloseAll from './trading-positions-close-all';
import type * as TradingPositionsAdjust from './trading-positions-adjust';
import type * as TradingBalancesList from './trading-balances-list';

/**
 * Every request/response pattern between the gateway and the services, with its request class
 * (validated on the service side) and its response type. Add a pattern here and in RpcPatterns;
 * RpcClient.send and @RpcHandler are typed by this map.
 */
export interface RpcMap {
  'bots.get': { request: BotsGet.Request; response: BotsGet.Response };
  'bots.list': { request: BotsList.Request; response: BotsList.Response };
  'risk.preTradeCheck': { request: RiskPreTradeCheck.Request; response: RiskPreTradeCheck.Response };
  'risk.limits.list': { request: RiskLimitsList.Request; response: RiskLimitsList.Response };
  'risk.limits.set': { request: RiskLimitsSet.Request; response: RiskLimitsSet.Response };
  'risk.limits.delete': { request: RiskLimitsDelete.Request; response: RiskLimitsDelete.Response };
  'risk.tradingState.get': { request: RiskTradingStateGet.Request; response: RiskTradingStateGet.Response };
  'risk.tradingState.set': { request: RiskTradingStateSet.Request; response: RiskTradingStateSet.Response };
  'analytics.performance.get': { request: AnalyticsPerformanceGet.Request; response: AnalyticsPerformanceGet.Response };
  'analytics.equityCurve.get': { request: AnalyticsEquityCurveGet.Request; response: AnalyticsEquityCurveGet.Response };
  'analytics.portfolio.get': { request: AnalyticsPortfolioGet.Request; response: AnalyticsPortfolioGet.Response };
  'analytics.daily.list': { request: AnalyticsDailyList.Request; response: AnalyticsDailyList.Response };
  'analytics.audit.list': { request: AnalyticsAuditList.Request; response: AnalyticsAuditList.Response };
  'strategy.catalog.list': { request: StrategyCatalogList.Request; response: StrategyCatalogList.Response };
  'strategy.bots.create': { request: StrategyBotsCreate.Request; response: StrategyBotsCreate.Response };
  'strategy.bots.update': { request: StrategyBotsUpdate.Request; response: StrategyBotsUpdate.Response };
  'strategy.bots.get': { request: StrategyBotsGet.Request; response: StrategyBotsGet.Response };
  'strategy.bots.list': { request: StrategyBotsList.Request; response: StrategyBotsList.Response };
  'strategy.bots.archive': { request: StrategyBotsArchive.Request; response: StrategyBotsArchive.Response };
  'strategy.bots.start': { request: StrategyBotsStart.Request; response: StrategyBotsStart.Response };
  'strategy.bots.stop': { request: StrategyBotsStop.Request; response: StrategyBotsStop.Response };
  'strategy.bots.pause': { request: StrategyBotsPause.Request; response: StrategyBotsPause.Response };
  'strategy.bots.configurations': { request: StrategyBotsConfigurations.Request; response: StrategyBotsConfigurations.Response };
  'strategy.signals.list': { request: StrategySignalsList.Request; response: StrategySignalsList.Response };
  'strategy.backtests.run': { request: StrategyBacktestsRun.Request; response: StrategyBacktestsRun.Response };
  'strategy.backtests.list': { request: StrategyBacktestsList.Request; response: StrategyBacktestsList.Response };
  'strategy.backtests.get': { request: StrategyBacktestsGet.Request; response: StrategyBacktestsGet.Response };
  'market.candles.range': { request: MarketCandlesRange.Request; response: MarketCandlesRange.Response };
  'market.pairs.list': { request: MarketPairsList.Request; response: MarketPairsList.Response };
  'market.tickers.list': { request: MarketTickersList.Request; response: MarketTickersList.Response };
  'auth.register': { request: AuthRegister.Request; response: AuthRegister.Response };
  'auth.login': { request: AuthLogin.Request; response: AuthLogin.Response };
  'auth.refresh': { request: AuthRefresh.Request; response: AuthRefresh.Response };
  'auth.logout': { request: AuthLogout.Request; response: AuthLogout.Response };
  'auth.me': { request: AuthMe.Request; response: AuthMe.Response };
  'auth.changePassword': { request: AuthChangePassword.Request; response: AuthChangePassword.Response };
  'auth.passwordReset.request': { request: AuthPasswordResetRequest.Request; response: AuthPasswordResetRequest.Response };
  'auth.passwordReset.confirm': { request: AuthPasswordResetConfirm.Request; response: AuthPasswordResetConfirm.Response };
  'auth.twoFactor.setup': { request: AuthTwoFactorSetup.Request; response: AuthTwoFactorSetup.Response };
  'auth.twoFactor.enable': { request: AuthTwoFactorEnable.Request; response: AuthTwoFactorEnable.Response };
  'auth.twoFactor.disable': { request: AuthTwoFactorDisable.Request; response: AuthTwoFactorDisable.Response };
  'auth.users.create': { request: AuthUsersCreate.Request; response: AuthUsersCreate.Response };
  'auth.users.list': { request: AuthUsersList.Request; response: AuthUsersList.Response };
  'auth.users.get': { request: AuthUsersGet.Request; response: AuthUsersGet.Response };
  'auth.users.setRole': { request: AuthUsersSetRole.Request; response: AuthUsersSetRole.Response };
  'auth.apiKeys.create': { request: AuthApiKeysCreate.Request; response: AuthApiKeysCreate.Response };
  'auth.apiKeys.list': { request: AuthApiKeysList.Request; response: AuthApiKeysList.Response };
  'auth.apiKeys.get': { request: AuthApiKeysGet.Request; response: AuthApiKeysGet.Response };
  'auth.apiKeys.delete': { request: AuthApiKeysDelete.Request; response: AuthApiKeysDelete.Response };
  'auth.apiKeys.decryptForEngine': { request: AuthApiKeysDecryptForEngine.Request; response: AuthApiKeysDecryptForEngine.Response };
  'auth.apiKeys.rotateMasterKey': { request: AuthApiKeysRotateMasterKey.Request; response: AuthApiKeysRotateMasterKey.Response };
  'trading.orders.list': { request: TradingOrdersList.Request; response: TradingOrdersList.Response };
  'trading.orders.get': { request: TradingOrdersGet.Request; response: TradingOrdersGet.Response };
  'trading.orders.place': { request: TradingOrdersPlace.Request; response: TradingOrdersPlace.Response };
  'trading.orders.cancel': { request: TradingOrdersCancel.Request; response: TradingOrdersCancel.Response };
  'trading.trades.list': { request: TradingTradesList.Request; response: TradingTradesList.Response };
  'trading.positions.list': { request: TradingPositionsList.Request; response: TradingPositionsList.Response };
  'trading.positions.close': { request: TradingPositionsClose.Request; response: TradingPositionsClose.Response };
  'trading.positions.closeAll': { request: TradingPositionsCloseAll.Request; response: TradingPositionsCloseAll.Response };
  'trading.positions.adjust': { request: TradingPositionsAdjust.Request; response: TradingPositionsAdjust.Response };
  'trading.balances.list': { request: TradingBalancesList.Request; response: TradingBalancesList.Response };
}

export type RpcPattern = keyof RpcMap;
export type RpcRequest<P extends RpcPattern> = RpcMap[P]['request'];
export type RpcResponse<P extends RpcPattern> = RpcMap[P]['response'];

export const RpcPatterns = {
  BotsGet: 'bots.get',
  BotsList: 'bots.list',
  RiskPreTradeCheck: 'risk.preTradeCheck',
  RiskLimitsList: 'risk.limits.list',
  RiskLimitsSet: 'risk.limits.set',
  RiskLimitsDelete: 'risk.limits.delete',
  RiskTradingStateGet: 'risk.tradingState.get',
  RiskTradingStateSet: 'risk.tradingState.set',
  AnalyticsPerformanceGet: 'analytics.performance.get',
  AnalyticsEquityCurveGet: 'analytics.equityCurve.get',
  AnalyticsPortfolioGet: 'analytics.portfolio.get',
  AnalyticsDailyList: 'analytics.daily.list',
  AnalyticsAuditList: 'analytics.audit.list',
  StrategyCatalogList: 'strategy.catalog.list',
  StrategyBotsCreate: 'strategy.bots.create',
  StrategyBotsUpdate: 'strategy.bots.update',
  StrategyBotsGet: 'strategy.bots.get',
  StrategyBotsList: 'strategy.bots.list',
  StrategyBotsArchive: 'strategy.bots.archive',
  StrategyBotsStart: 'strategy.bots.start',
  StrategyBotsStop: 'strategy.bots.stop',
  StrategyBotsPause: 'strategy.bots.pause',
  StrategyBotsConfigurations: 'strategy.bots.configurations',
  StrategySignalsList: 'strategy.signals.list',
  StrategyBacktestsRun: 'strategy.backtests.run',
  StrategyBacktestsList: 'strategy.backtests.list',
  StrategyBacktestsGet: 'strategy.backtests.get',
  MarketCandlesRange: 'market.candles.range',
  MarketPairsList: 'market.pairs.list',
  MarketTickersList: 'market.tickers.list',
  AuthRegister: 'auth.register',
  AuthLogin: 'auth.login',
  AuthRefresh: 'auth.refresh',
  AuthLogout: 'auth.logout',
  AuthMe: 'auth.me',
  AuthChangePassword: 'auth.changePassword',
  AuthPasswordResetRequest: 'auth.passwordReset.request',
  AuthPasswordResetConfirm: 'auth.passwordReset.confirm',
  AuthTwoFactorSetup: 'auth.twoFactor.setup',
  AuthTwoFactorEnable: 'auth.twoFactor.enable',
  AuthTwoFactorDisable: 'auth.twoFactor.disable',
  AuthUsersCreate: 'auth.users.create',
  AuthUsersList: 'auth.users.list',
  AuthUsersGet: 'auth.users.get',
  AuthUsersSetRole: 'auth.users.setRole',
  AuthApiKeysCreate: 'auth.apiKeys.create',
  AuthApiKeysList: 'auth.apiKeys.list',
  AuthApiKeysGet: 'auth.apiKeys.get',
  AuthApiKeysDelete: 'auth.apiKeys.delete',
  AuthApiKeysDecryptForEngine: 'auth.apiKeys.decryptForEngine',
  AuthApiKeysRotateMasterKey: 'auth.apiKeys.rotateMasterKey',
  TradingOrdersList: 'trading.orders.list',
  TradingOrdersGet: 'trading.orders.get',
  TradingOrdersPlace: 'trading.orders.place',
  TradingOrdersCancel: 'trading.orders.cancel',
  TradingTradesList: 'trading.trades.list',
  TradingPositionsList: 'trading.positions.list',
  TradingPositionsClose: 'trading.positions.close',
  TradingPositionsCloseAll: 'trading.positions.closeAll',
  TradingPositionsAdjust: 'trading.positions.adjust',
  TradingBalancesList: 'trading.balances.list',
} as const satisfies Record<string, RpcPattern>;
