/** Numbers that are money or ratios travel as decimal strings; null when undefined (no closed trade, no losing day). */
export interface PerformanceView {
  readonly botId: string | null;
  readonly strategy: string | null;
  readonly period: 'day' | 'overall';
  readonly periodStart: string;
  readonly periodEnd: string;
  readonly totalTrades: number;
  readonly winningTrades: number;
  readonly losingTrades: number;
  /** Percent. */
  readonly winRate: string | null;
  readonly avgWin: string | null;
  readonly avgLoss: string | null;
  readonly profitFactor: string | null;
  readonly expectancy: string | null;
  readonly totalPnl: string;
  readonly totalFees: string;
  /** Percent below the equity peak, at worst. */
  readonly maxDrawdown: string | null;
  readonly sharpeRatio: string | null;
  readonly sortinoRatio: string | null;
  readonly calmarRatio: string | null;
  /** Percent of the starting equity. */
  readonly totalReturn: string | null;
}

export interface EquityPointView {
  readonly time: string;
  readonly equity: string;
}

export interface PortfolioSnapshotView {
  readonly timestamp: string;
  readonly totalEquity: string;
  readonly totalBalance: string;
  readonly totalUnrealizedPnl: string;
  readonly totalRealizedPnl: string;
  readonly totalPnlPercent: string | null;
  readonly activeBots: number;
  readonly botsInTrade: number;
  readonly totalOpenPositions: number;
  readonly dailyPnl: string;
  readonly weeklyPnl: string;
  readonly monthlyPnl: string;
}

export interface OpenPositionView {
  readonly botId: string;
  readonly botName: string | null;
  readonly exchange: string;
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly size: string;
  readonly avgEntryPrice: string;
  readonly currentPrice: string | null;
  readonly unrealizedPnl: string;
  readonly positionValue: string;
  readonly openedAt: string;
  readonly strategy: string | null;
}

export interface DailySummaryView {
  readonly tradeDate: string;
  readonly botId: string;
  readonly botName: string | null;
  readonly strategyName: string | null;
  readonly totalTrades: number;
  readonly winningTrades: number;
  readonly losingTrades: number;
  readonly totalPnl: string;
  readonly totalFees: string;
  readonly tradedVolume: string;
  readonly winRate: string | null;
}

export interface AuditLogView {
  readonly id: string;
  readonly userId: string | null;
  readonly actorUserId: string | null;
  readonly action: string;
  readonly resourceType: string | null;
  readonly resourceId: string | null;
  readonly newValues: Record<string, unknown> | null;
  readonly ipAddress: string | null;
  readonly createdAt: string;
}
