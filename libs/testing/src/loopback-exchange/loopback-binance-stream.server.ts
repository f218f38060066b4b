import Decimal from 'decimal.js';
import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { exchangeInfo } from './fixtures/binance-spot.fixture';
import { BinanceKlineEvent, BinanceTickerEvent, STREAM_ERRORS } from './fixtures/binance-spot-stream.fixture';
import type { LoopbackCandle } from './loopback-binance.state';
import { BINANCE_INTERVAL_MS } from './binance-intervals';

/**
 * The parts of the `ws` package (8.x, installed as ccxt's own websocket client) this server uses.
 * It is not a direct dependency and ships no types, hence the narrow local declaration.
 */
interface WsSocket {
  readonly readyState: number;
  send(data: string): void;
  ping(): void;
  terminate(): void;
  on(event: 'message', listener: (data: Buffer, isBinary: boolean) => void): this;
  on(event: 'ping' | 'pong', listener: () => void): this;
  on(event: 'close', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
}
interface WsServer {
  handleUpgrade(request: IncomingMessage, socket: Socket, head: Buffer, done: (ws: WsSocket) => void): void;
  close(): void;
}
interface WsModule {
  WebSocketServer: new (options: { noServer: true; maxPayload: number }) => WsServer;
}
const { WebSocketServer } = require('ws') as WsModule;

const OPEN = 1;
const METHODS = new Set(['SUBSCRIBE', 'UNSUBSCRIBE', 'LIST_SUBSCRIPTIONS', 'SET_PROPERTY', 'GET_PROPERTY']);

export interface LoopbackBinanceStreamOptions {
  /** Binance symbols that have streams; those of the REST loopback's exchangeInfo unless told. */
  symbols?: string[];
  /** Binance pings every 20 s ... */
  pingIntervalMs?: number;
  /** ... and drops a connection that has not answered a ping with a pong for a minute. */
  pongTimeoutMs?: number;
  now?: () => number;
}

/** A candle update for `<symbol>@kline_<interval>`; `closed` is Binance's `x` (false unless told). */
export interface LoopbackKline extends LoopbackCandle {
  closed?: boolean;
  trades?: number;
}

/** Top of book and 24 h statistics for `<symbol>@ticker`; missing statistics are derived from `last`. */
export interface LoopbackTicker {
  last: string;
  bid: string;
  ask: string;
  bidQty?: string;
  askQty?: string;
  lastQty?: string;
  open?: string;
  high?: string;
  low?: string;
  baseVolume?: string;
  quoteVolume?: string;
  /** Statistics close time (ccxt's ticker timestamp); the server clock unless told. */
  closeTime?: number;
}

/** A control message a client sent (`SUBSCRIBE`, ...), as received. */
export interface LoopbackStreamRequest {
  connection: number;
  text: string;
}

export interface LoopbackStreamConnection {
  id: number;
  path: string;
  streams: string[];
  combined: boolean;
}

export interface LoopbackBinanceStream {
  /** ws://127.0.0.1:<port> */
  url: string;
  /** Merge into ccxt's `urls.api` (next to the REST loopback's) so a ccxt Pro client streams from here. */
  ccxtUrls: { ws: { spot: string; margin: string } };
  /** Sends a kline event to every connection subscribed to its stream; returns how many it reached. */
  pushKline(symbol: string, interval: string, kline: LoopbackKline): number;
  /** Sends a 24hrTicker event to every connection subscribed to `<symbol>@ticker`; returns how many it reached. */
  pushTicker(symbol: string, ticker: LoopbackTicker): number;
  /** The open connections and what each is subscribed to. */
  connections(): LoopbackStreamConnection[];
  /** Connections accepted since start (reconnects count again). */
  readonly connectionsAccepted: number;
  requests: LoopbackStreamRequest[];
  /** Cuts every connection without a close frame, as a network failure does (the client sees 1006). */
  dropConnections(): void;
  stop(): Promise<void>;
}

interface Connection {
  id: number;
  path: string;
  ws: WsSocket;
  streams: Set<string>;
  combined: boolean;
  lastPong: number;
  recentMessages: number[];
}

const fmt = (value: Decimal.Value) => new Decimal(value).toFixed(8);

/**
 * A Binance spot market-stream server on 127.0.0.1 for tests of ccxt Pro code: raw streams at
 * `/ws[/<stream>]`, combined streams at `/stream?streams=a/b`, live `SUBSCRIBE` / `UNSUBSCRIBE` /
 * `LIST_SUBSCRIPTIONS` / `SET_PROPERTY combined` / `GET_PROPERTY` answered as Binance answers them
 * (`{"result":null,"id":1}`, errors as `{"error":{"code","msg"},"id"}`), server pings with a pong
 * deadline, the 5-messages-a-second limit, and events in Binance's shapes pushed by the test.
 * Streams it cannot serve (anything but `kline_<interval>` and `ticker` of a known symbol) are
 * refused as invalid, so a test fails loudly instead of waiting for data that never comes.
 */
export async function startLoopbackBinanceStream(
  options: LoopbackBinanceStreamOptions = {},
): Promise<LoopbackBinanceStream> {
  const now = options.now ?? Date.now;
  const symbols = new Set((options.symbols ?? exchangeInfo.symbols.map((s) => s.symbol)).map((s) => s.toLowerCase()));
  const pongTimeoutMs = options.pongTimeoutMs ?? 60_000;
  const open = new Map<number, Connection>();
  const requests: LoopbackStreamRequest[] = [];
  let accepted = 0;
  let tradeId = 1;

  const isServedStream = (name: unknown): name is string => {
    if (typeof name !== 'string') return false;
    const [symbol, channel, ...rest] = name.split('@');
    if (rest.length || !symbols.has(symbol) || !channel) return false;
    return (
      channel === 'ticker' || (channel.startsWith('kline_') && Object.hasOwn(BINANCE_INTERVAL_MS, channel.slice('kline_'.length)))
    );
  };

  const send = (connection: Connection, payload: unknown) => {
    if (connection.ws.readyState === OPEN) connection.ws.send(JSON.stringify(payload));
  };

  const answer = (connection: Connection, text: string) => {
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return send(connection, { error: STREAM_ERRORS.invalidJson, id: null });
    }
    const { method, params, id } = (message ?? {}) as { method?: unknown; params?: unknown; id?: unknown };
    if (!Number.isSafeInteger(id) || (id as number) < 0)
      return send(connection, { error: STREAM_ERRORS.badId, id: null });
    if (typeof method !== 'string' || !METHODS.has(method))
      return send(connection, { error: STREAM_ERRORS.unknownMethod(String(method)), id });
    const list = Array.isArray(params) ? (params as unknown[]) : [];
    switch (method) {
      case 'SUBSCRIBE':
      case 'UNSUBSCRIBE':
        if (!list.length || !list.every(isServedStream))
          return send(connection, { error: STREAM_ERRORS.invalidStream, id });
        for (const name of list as string[]) {
          if (method === 'SUBSCRIBE') connection.streams.add(name);
          else connection.streams.delete(name);
        }
        return send(connection, { result: null, id });
      case 'LIST_SUBSCRIPTIONS':
        return send(connection, { result: [...connection.streams], id });
      case 'SET_PROPERTY':
        if (list[0] !== 'combined') return send(connection, { error: STREAM_ERRORS.unknownProperty, id });
        if (typeof list[1] !== 'boolean') return send(connection, { error: STREAM_ERRORS.notBoolean, id });
        connection.combined = list[1];
        return send(connection, { result: null, id });
      default:
        if (list[0] !== 'combined') return send(connection, { error: STREAM_ERRORS.unknownProperty, id });
        return send(connection, { result: connection.combined, id });
    }
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const http = createServer((_req, res) => {
    res.writeHead(404).end();
  });
  http.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = url.pathname === '/ws' || url.pathname.startsWith('/ws/');
    if (!raw && url.pathname !== '/stream') {
      socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const connection: Connection = {
        id: ++accepted,
        path: url.pathname + url.search,
        ws,
        streams: new Set(),
        combined: !raw,
        lastPong: now(),
        recentMessages: [],
      };
      // Binance opens raw streams named in the path and combined ones from ?streams=; a name it
      // cannot serve (ccxt connects to /ws/<n>) just subscribes nothing.
      const initial = raw ? [url.pathname.slice('/ws/'.length)] : (url.searchParams.get('streams') ?? '').split('/');
      for (const name of initial) if (isServedStream(name)) connection.streams.add(name);
      open.set(connection.id, connection);
      const countMessage = () => {
        const t = now();
        connection.recentMessages = connection.recentMessages.filter((m) => t - m < 1000);
        connection.recentMessages.push(t);
        if (connection.recentMessages.length > 5) ws.terminate();
      };
      ws.on('message', (data, isBinary) => {
        countMessage();
        const text = isBinary ? '' : data.toString('utf8');
        requests.push({ connection: connection.id, text });
        answer(connection, text);
      });
      ws.on('ping', countMessage);
      ws.on('pong', () => {
        countMessage();
        connection.lastPong = now();
      });
      ws.on('close', () => open.delete(connection.id));
      ws.on('error', () => open.delete(connection.id));
    });
  });

  const pinger = setInterval(() => {
    for (const connection of open.values()) {
      if (now() - connection.lastPong > pongTimeoutMs) connection.ws.terminate();
      else if (connection.ws.readyState === OPEN) connection.ws.ping();
    }
  }, options.pingIntervalMs ?? 20_000);
  pinger.unref();

  const push = (stream: string, payload: BinanceKlineEvent | BinanceTickerEvent): number => {
    let reached = 0;
    for (const connection of open.values()) {
      if (!connection.streams.has(stream) || connection.ws.readyState !== OPEN) continue;
      send(connection, connection.combined ? { stream, data: payload } : payload);
      reached++;
    }
    return reached;
  };

  const served = (symbol: string): string => {
    const id = symbol.toLowerCase();
    if (!symbols.has(id)) throw new Error(`the loopback stream serves no symbol ${symbol}`);
    return id;
  };

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const url = `ws://127.0.0.1:${port}`;

  return {
    url,
    ccxtUrls: { ws: { spot: `${url}/ws`, margin: `${url}/ws` } },
    pushKline(symbol, interval, kline) {
      const id = served(symbol);
      const step = BINANCE_INTERVAL_MS[interval];
      if (step === undefined) throw new Error(`unknown kline interval ${interval}`);
      const trades = kline.trades ?? 1;
      const first = tradeId;
      tradeId += trades;
      return push(`${id}@kline_${interval}`, {
        e: 'kline',
        E: now(),
        s: symbol.toUpperCase(),
        k: {
          t: kline.openTime,
          T: kline.openTime + step - 1,
          s: symbol.toUpperCase(),
          i: interval,
          f: first,
          L: tradeId - 1,
          o: fmt(kline.open),
          c: fmt(kline.close),
          h: fmt(kline.high),
          l: fmt(kline.low),
          v: fmt(kline.volume),
          n: trades,
          x: kline.closed ?? false,
          q: fmt(new Decimal(kline.volume).times(kline.close)),
          V: fmt(new Decimal(kline.volume).div(2)),
          Q: fmt(new Decimal(kline.volume).div(2).times(kline.close)),
          B: '0',
        },
      });
    },
    pushTicker(symbol, ticker) {
      const id = served(symbol);
      const last = new Decimal(ticker.last);
      const openPrice = new Decimal(ticker.open ?? ticker.last);
      const baseVolume = new Decimal(ticker.baseVolume ?? '0');
      const quoteVolume = new Decimal(ticker.quoteVolume ?? baseVolume.times(last));
      const closeTime = ticker.closeTime ?? now();
      return push(`${id}@ticker`, {
        e: '24hrTicker',
        E: now(),
        s: symbol.toUpperCase(),
        p: fmt(last.minus(openPrice)),
        P: last.minus(openPrice).div(openPrice).times(100).toFixed(3),
        w: fmt(baseVolume.isZero() ? last : quoteVolume.div(baseVolume)),
        x: fmt(openPrice),
        c: fmt(last),
        Q: fmt(ticker.lastQty ?? '0.001'),
        b: fmt(ticker.bid),
        B: fmt(ticker.bidQty ?? '1'),
        a: fmt(ticker.ask),
        A: fmt(ticker.askQty ?? '1'),
        o: fmt(openPrice),
        h: fmt(ticker.high ?? Decimal.max(last, openPrice)),
        l: fmt(ticker.low ?? Decimal.min(last, openPrice)),
        v: fmt(baseVolume),
        q: fmt(quoteVolume),
        O: closeTime - 86_400_000,
        C: closeTime,
        F: 1,
        L: tradeId,
        n: tradeId,
      });
    },
    connections: () =>
      [...open.values()].map((c) => ({ id: c.id, path: c.path, streams: [...c.streams], combined: c.combined })),
    get connectionsAccepted() {
      return accepted;
    },
    requests,
    dropConnections() {
      for (const connection of open.values()) connection.ws.terminate();
      open.clear();
    },
    async stop() {
      clearInterval(pinger);
      for (const connection of open.values()) connection.ws.terminate();
      wss.close();
      http.closeAllConnections();
      await new Promise<void>((resolve, reject) => http.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
