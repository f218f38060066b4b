import { loadCcxt, toCcxtRealm } from '@trading/exchange';
import { waitFor } from '../process-helpers';
import { LoopbackBinance, LoopbackBinanceStream, startLoopbackBinance, startLoopbackBinanceStream } from './index';

/** The parts of a ccxt Pro binance client these tests drive. */
interface ProBinance {
  watchOHLCV(symbol: string, timeframe: string): Promise<number[][]>;
  watchTicker(
    symbol: string,
    params?: Record<string, unknown>,
  ): Promise<{
    symbol: string;
    timestamp: number;
    last: number;
    bid: number;
    ask: number;
    baseVolume: number;
    open: number;
  }>;
  loadHttpProxyAgent(): Promise<unknown>;
  close(): Promise<unknown>;
}

/** A raw websocket client (the `ws` package ccxt itself uses), for the control protocol. */
interface RawSocket {
  readonly readyState: number;
  send(text: string): void;
  close(): void;
  on(event: 'open' | 'close', listener: () => void): this;
  on(event: 'message', listener: (data: Buffer) => void): this;
}
const { WebSocket } = require('ws') as { WebSocket: new (url: string, options?: { autoPong?: boolean }) => RawSocket };

async function rawClient(
  url: string,
  options?: { autoPong?: boolean },
): Promise<{ socket: RawSocket; messages: unknown[]; closed: Promise<void> }> {
  const socket = new WebSocket(url, options);
  const messages: unknown[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(data.toString('utf8'))));
  const closed = new Promise<void>((resolve) => socket.on('close', resolve));
  await new Promise<void>((resolve) => socket.on('open', resolve));
  return { socket, messages, closed };
}

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1, 12, 0);

describe('loopback Binance market streams through ccxt Pro', () => {
  let rest: LoopbackBinance;
  let stream: LoopbackBinanceStream;
  let client: ProBinance;

  beforeEach(async () => {
    rest = await startLoopbackBinance();
    stream = await startLoopbackBinanceStream();
    const pro = (loadCcxt() as unknown as { pro: Record<string, new (config: unknown) => ProBinance> }).pro;
    client = new pro['binance']!(
      toCcxtRealm({
        urls: { api: { ...rest.ccxtOverrides.urls.api, ...stream.ccxtUrls } },
        options: rest.ccxtOverrides.options,
        enableRateLimit: false,
      }),
    );
    // ccxt refuses plain ws:// URLs until its http agent is loaded (wss:// needs nothing).
    await client.loadHttpProxyAgent();
  });

  afterEach(async () => {
    await client.close();
    await stream.stop();
    await rest.stop();
  });

  const subscribed = (name: string) =>
    waitFor(async () => stream.connections().some((c) => c.streams.includes(name)), {
      what: `a subscription to ${name}`,
      timeoutMs: 10_000,
      intervalMs: 20,
    });

  it('acks the SUBSCRIBE ccxt sends and streams kline updates into watchOHLCV', async () => {
    const first = client.watchOHLCV('BTC/USDT', '1m');
    await subscribed('btcusdt@kline_1m');
    expect(stream.connections()).toEqual([{ id: 1, path: '/ws/0', streams: ['btcusdt@kline_1m'], combined: false }]);
    expect(stream.requests.map((r) => JSON.parse(r.text))).toEqual([
      { method: 'SUBSCRIBE', params: ['btcusdt@kline_1m'], id: 1 },
    ]);

    stream.pushKline('BTCUSDT', '1m', {
      openTime: T0,
      open: '42000.1',
      high: '42010',
      low: '41990.5',
      close: '42005.25',
      volume: '3.5',
    });
    expect(await first).toEqual([[T0, 42000.1, 42010, 41990.5, 42005.25, 3.5]]);

    // ccxt Pro hands over only the rows updated since the previous call.
    const next = client.watchOHLCV('BTC/USDT', '1m');
    stream.pushKline('BTCUSDT', '1m', {
      openTime: T0,
      open: '42000.1',
      high: '42020',
      low: '41990.5',
      close: '42015',
      volume: '4',
      closed: true,
    });
    expect(await next).toEqual([[T0, 42000.1, 42020, 41990.5, 42015, 4]]);
    const after = client.watchOHLCV('BTC/USDT', '1m');
    stream.pushKline('BTCUSDT', '1m', {
      openTime: T0 + MIN,
      open: '42015',
      high: '42015',
      low: '42015',
      close: '42015',
      volume: '0.1',
    });
    expect(await after).toEqual([[T0 + MIN, 42015, 42015, 42015, 42015, 0.1]]);
  });

  it('streams 24hrTicker events into watchTicker on the full ticker channel', async () => {
    const ticker = client.watchTicker('BTC/USDT', { name: 'ticker' });
    await subscribed('btcusdt@ticker');
    stream.pushTicker('BTCUSDT', {
      last: '43000.5',
      bid: '43000.4',
      ask: '43000.6',
      open: '42000',
      baseVolume: '1234.5',
      closeTime: T0,
    });

    expect(await ticker).toMatchObject({
      symbol: 'BTC/USDT',
      timestamp: T0,
      last: 43000.5,
      bid: 43000.4,
      ask: 43000.6,
      open: 42000,
      baseVolume: 1234.5,
    });
  });

  it("ccxt's watchTicker without a channel subscribes the mini ticker, which has no bid or ask", async () => {
    void client.watchTicker('BTC/USDT').catch(() => undefined);
    await waitFor(async () => stream.requests.length > 0, {
      what: 'a subscription request',
      timeoutMs: 10_000,
      intervalMs: 20,
    });
    // miniTicker is a real Binance stream the loopback does not serve: refused as an invalid stream.
    expect(JSON.parse(stream.requests[0]!.text)).toMatchObject({ method: 'SUBSCRIBE', params: ['btcusdt@miniTicker'] });
  });

  it('after a dropped connection the pending watch fails with a NetworkError and the next one reconnects and subscribes again', async () => {
    const pending = client.watchOHLCV('BTC/USDT', '1m');
    await subscribed('btcusdt@kline_1m');
    stream.dropConnections();
    const failure = (await pending.then(
      () => null,
      (error: Error) => error,
    )) as Error;
    expect(failure.constructor.name).toBe('NetworkError');

    expect(stream.connections()).toEqual([]);
    const resumed = client.watchOHLCV('BTC/USDT', '1m');
    await subscribed('btcusdt@kline_1m');
    expect(stream.connectionsAccepted).toBe(2);
    stream.pushKline('BTCUSDT', '1m', {
      openTime: T0 + 2 * MIN,
      open: '1',
      high: '2',
      low: '0.5',
      close: '1.5',
      volume: '7',
    });
    expect(await resumed).toEqual([[T0 + 2 * MIN, 1, 2, 0.5, 1.5, 7]]);
  });

  it('answers the control messages and refuses bad ones as Binance does', async () => {
    const { socket, messages } = await rawClient(`${stream.url}/ws`);
    const replies = (n: number) =>
      waitFor(async () => messages.length >= n && messages.slice(0, n), {
        what: `${n} replies`,
        timeoutMs: 5_000,
        intervalMs: 10,
      });
    socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@kline_5m', 'ltcusdt@ticker'], id: 7 }));
    socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 8 }));
    socket.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@nonsense'], id: 9 }));
    socket.send('{oops');
    socket.send(JSON.stringify({ method: 'SUBSCRIB', params: [], id: 10 }));
    expect(await replies(5)).toEqual([
      { result: null, id: 7 },
      { result: ['btcusdt@kline_5m', 'ltcusdt@ticker'], id: 8 },
      { error: { code: 2, msg: 'Invalid request: invalid stream' }, id: 9 },
      { error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' }, id: null },
      { error: { code: 2, msg: expect.stringContaining('unknown variant `SUBSCRIB`') }, id: 10 },
    ]);
    socket.close();

    const combined = await rawClient(`${stream.url}/stream?streams=btcusdt@kline_1m`);
    expect(
      stream.pushKline('BTCUSDT', '1m', { openTime: T0, open: '1', high: '1', low: '1', close: '1', volume: '0' }),
    ).toBe(1);
    await waitFor(async () => combined.messages.length > 0, {
      what: 'a combined event',
      timeoutMs: 5_000,
      intervalMs: 10,
    });
    expect(combined.messages[0]).toMatchObject({
      stream: 'btcusdt@kline_1m',
      data: { e: 'kline', s: 'BTCUSDT', k: { t: T0, T: T0 + MIN - 1, i: '1m', o: '1.00000000', x: false } },
    });
    combined.socket.close();
  });

  it('disconnects a client that sends more than 5 messages a second', async () => {
    const { socket, closed } = await rawClient(`${stream.url}/ws`);
    for (let id = 1; id <= 6; id++) socket.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id }));
    await closed;
  });

  it('pings and drops a connection that does not answer with a pong', async () => {
    await stream.stop();
    // Pongs count against the 5 messages a second too: ping no faster than that.
    stream = await startLoopbackBinanceStream({ pingIntervalMs: 250, pongTimeoutMs: 600 });
    const silent = await rawClient(`${stream.url}/ws`, { autoPong: false });
    const polite = await rawClient(`${stream.url}/ws`);
    await silent.closed;
    expect(polite.socket.readyState).toBe(1);
    polite.socket.close();
  });
});
