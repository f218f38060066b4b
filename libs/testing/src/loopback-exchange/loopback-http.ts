import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FaultRule, isTransportFault, LoopbackFaults, TransportFault } from './loopback-faults';

export interface LoopbackRequest {
  method: string;
  path: string;
  /** Query string and body (signature, timestamp, nonce included). */
  params: Record<string, string>;
}

/** A request as an exchange's handler sees it: what is logged, plus what signature checks read. */
export interface LoopbackCall extends LoopbackRequest {
  rawQuery: string;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface LoopbackAnswer {
  status: number;
  /** JSON unless a string (sent as text/html, as a proxy's error page is). */
  payload: unknown;
}

export interface LoopbackHttpOptions<E extends { kind: string }> {
  /** The Content-Type the exchange writes on JSON answers. */
  jsonContentType: string;
  /** Reads a request body into params; form-encoded unless told. */
  bodyParams?: (body: string, headers: IncomingHttpHeaders) => Iterable<[string, string]>;
  /** The answer to an injected fault of the exchange's own error shape (given instead of performing the request). */
  errorAnswer: (fault: E) => LoopbackAnswer;
  /** Performs a request: routing, signature checks, the exchange's errors in its own shape. */
  perform: (call: LoopbackCall) => LoopbackAnswer;
}

/** What every loopback REST server offers a test, whatever the exchange. */
export interface LoopbackHttp<F extends { kind: string }> {
  url: string;
  /** Every request received, in order. */
  requests: LoopbackRequest[];
  injectFault(rule: FaultRule<F>): void;
  clearFaults(): void;
  stop(): Promise<void>;
}

/** A loopback exchange: its HTTP server, what ccxt needs to reach it, and the exchange's memory. */
export interface LoopbackExchange<S, F extends { kind: string }> extends LoopbackHttp<F> {
  /** Constructor overrides for the ccxt class (and CcxtExchangeAdapter) so it talks to this server. */
  ccxtOverrides: {
    urls: { api: Record<string, string> };
    options: Record<string, unknown>;
  };
  credentials: { apiKey: string; secret: string };
  state: S;
}

/** Options every loopback exchange takes. */
export interface LoopbackServerOptions {
  apiKey?: string;
  secret?: string;
  /** Check the API key and signature of private requests as the exchange does. On unless told. */
  verifySignature?: boolean;
  now?: () => number;
}

const formParams = (body: string) => new URLSearchParams(body);

/**
 * The HTTP side shared by the loopback exchanges: a `node:http` server on 127.0.0.1 (a free port) that
 * logs every request, applies injected faults around the exchange's `perform` (transport faults here,
 * error answers through `errorAnswer`), and closes hanging and open connections at stop().
 */
export async function startLoopbackHttp<E extends { kind: string }>(
  options: LoopbackHttpOptions<E>,
): Promise<LoopbackHttp<TransportFault | E>> {
  const bodyParams = options.bodyParams ?? formParams;
  const faults = new LoopbackFaults<TransportFault | E>();
  const requests: LoopbackRequest[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => handle(req, res, Buffer.concat(chunks).toString('utf8')));
  });

  function send(res: ServerResponse, { status, payload }: LoopbackAnswer): void {
    if (res.destroyed) return;
    const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
    res.writeHead(status, { 'Content-Type': typeof payload === 'string' ? 'text/html' : options.jsonContentType });
    res.end(text);
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: string): void {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const rawQuery = url.search.startsWith('?') ? url.search.slice(1) : '';
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    for (const [k, v] of bodyParams(body, req.headers)) params[k] = v;
    requests.push({ method, path, params });

    const fault = faults.take(method, path);
    if (fault && !isTransportFault(fault)) return send(res, options.errorAnswer(fault));
    if (fault?.kind === 'delay' && fault.beforeAction) {
      // A request the network delivered late: the server sees it (and its nonce) after later ones.
      setTimeout(() => send(res, options.perform({ method, path, params, rawQuery, body, headers: req.headers })), fault.ms).unref();
      return;
    }
    if (fault?.kind === 'status') return send(res, { status: fault.status, payload: fault.body ?? '' });
    if (fault?.kind === 'drop' && fault.beforeAction) {
      req.socket.destroy();
      return;
    }

    const answer = options.perform({ method, path, params, rawQuery, body, headers: req.headers });

    if (fault?.kind === 'hang') {
      hanging.add(res);
      return;
    }
    if (fault?.kind === 'drop') {
      req.socket.destroy();
      return;
    }
    if (fault?.kind === 'delay') {
      setTimeout(() => send(res, answer), fault.ms).unref();
      return;
    }
    send(res, answer);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    injectFault: (rule) => faults.inject(rule),
    clearFaults: () => faults.clear(),
    stop: async () => {
      for (const res of hanging) res.destroy();
      hanging.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
