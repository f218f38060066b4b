/** What goes wrong between a client and any exchange: every loopback server understands these. */
export type TransportFault =
  /** Perform the request, then never answer (the client times out); the socket closes at stop(). */
  | { kind: 'hang' }
  /** Perform the request, answer after `ms`; with `beforeAction`, perform it only after `ms` (it arrived late). */
  | { kind: 'delay'; ms: number; beforeAction?: boolean }
  /** Perform the request (unless `beforeAction`), then reset the connection without answering. */
  | { kind: 'drop'; beforeAction?: boolean }
  /** Answer with this HTTP status and body instead of performing the request (429, 418, 5xx...). */
  | { kind: 'status'; status: number; body?: unknown };

const TRANSPORT_KINDS: ReadonlySet<string> = new Set<TransportFault['kind']>(['hang', 'delay', 'drop', 'status']);

export function isTransportFault<E extends { kind: string }>(fault: TransportFault | E): fault is TransportFault {
  return TRANSPORT_KINDS.has(fault.kind);
}

/** The faults of the loopback Binance: the transport ones, and an answer in Binance's error shape. */
export type LoopbackFault =
  | TransportFault
  /** Answer with a Binance error `{ code, msg }` instead of performing the request. */
  | { kind: 'binance-error'; code: number; msg: string; status?: number };

/** `F`: the faults a server understands (each loopback exchange answers errors in its own shape). */
export interface FaultRule<F extends { kind: string } = LoopbackFault> {
  path: string;
  method?: string;
  /** How many matching requests this fault applies to; 1 unless told. */
  times?: number;
  fault: F;
}

interface ArmedRule<F> {
  path: string;
  method?: string;
  remaining: number;
  fault: F;
}

export class LoopbackFaults<F extends { kind: string } = LoopbackFault> {
  private rules: ArmedRule<F>[] = [];

  inject(rule: FaultRule<F>): void {
    this.rules.push({
      path: rule.path,
      method: rule.method?.toUpperCase(),
      remaining: rule.times ?? 1,
      fault: rule.fault,
    });
  }

  clear(): void {
    this.rules = [];
  }

  /** Takes the first armed fault for this request, counting it down. */
  take(method: string, path: string): F | undefined {
    const rule = this.rules.find(
      (r) => r.path === path && (r.method === undefined || r.method === method) && r.remaining > 0,
    );
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining === 0) this.rules = this.rules.filter((r) => r !== rule);
    return rule.fault;
  }
}
