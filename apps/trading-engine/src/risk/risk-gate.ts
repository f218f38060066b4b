import { RiskPreTradeCheck, RpcPatterns } from '@trading/contracts';
import { RpcClient, RpcRemoteError, RpcTimeoutError } from '@trading/streams';

export type RiskVerdict =
  | { readonly kind: 'approved' }
  | { readonly kind: 'denied'; readonly reasons: string[]; readonly tradingState: string }
  | { readonly kind: 'unavailable'; readonly detail: string };

/** The pre-trade check with risk. Fails closed: a timeout, no listener or an error answer is `unavailable`. */
export class RiskGate {
  constructor(
    private readonly rpc: RpcClient,
    private readonly timeoutMs: number,
  ) {}

  async check(request: RiskPreTradeCheck.Request): Promise<RiskVerdict> {
    try {
      const answer = await this.rpc.send(RpcPatterns.RiskPreTradeCheck, request, { timeoutMs: this.timeoutMs });
      if (!answer || typeof answer.approved !== 'boolean') return { kind: 'unavailable', detail: 'malformed risk answer' };
      if (answer.approved) return { kind: 'approved' };
      const reasons = Array.isArray(answer.reasons) && answer.reasons.length ? answer.reasons.map(String) : ['RISK_DENIED'];
      return { kind: 'denied', reasons, tradingState: answer.tradingState };
    } catch (error) {
      const detail =
        error instanceof RpcTimeoutError
          ? `no answer within ${this.timeoutMs} ms`
          : error instanceof RpcRemoteError
            ? `risk answered an error: ${error.message}`
            : error instanceof Error
              ? error.message
              : String(error);
      return { kind: 'unavailable', detail };
    }
  }
}
