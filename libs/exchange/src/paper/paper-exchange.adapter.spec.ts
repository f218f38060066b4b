import { ExchangeError, ExchangeFinalError } from '../errors/exchange.error';
import type { Candle, MarketInfo } from '../exchange.port';
import { PaperExchangeAdapter, PaperExchangeOptions } from './paper-exchange.adapter';

const BTC_USDT: MarketInfo = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  priceTick: '0.01',
  amountStep: '0.0001',
  minAmount: '0.0001',
  minNotional: '10',
  makerFee: '0.001',
  takerFee: '0.002',
};

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1);
const candle = (i: number, open: string, high: string, low: string, close: string, volume: string): Candle => ({
  timestamp: T0 + i * MINUTE,
  open,
  high,
  low,
  close,
  volume,
});

function account(overrides: Partial<PaperExchangeOptions> = {}): PaperExchangeAdapter {
  return new PaperExchangeAdapter({
    markets: [BTC_USDT],
    balances: { USDT: '10000' },
    slippage: { bps: '10' },
    ...overrides,
  });
}

async function rejection(promise: Promise<unknown>): Promise<ExchangeFinalError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ExchangeFinalError)) throw new Error(`expected an ExchangeFinalError, got ${String(error)}`);
  return error;
}

describe('PaperExchangeAdapter', () => {
  it('fills a market buy at the next candle open plus slippage, with the taker fee in quote', async () => {
    const paper = account();
    paper.onCandle('BTC/USDT', candle(0, '99', '101', '98', '100', '50'));

    const placed = await paper.createOrder({
      symbol: 'BTC/USDT',
      type: 'market',
      side: 'buy',
      amount: '10',
      clientOrderId: 'b1',
    });

    // Nothing fills before the next price; 10 * 100 * (1 + 0.002) = 1002 USDT held meanwhile.
    expect(placed).toMatchObject({ status: 'open', filled: '0', remaining: '10' });
    expect((await paper.fetchBalance())['USDT']).toEqual({ free: '8998', used: '1002', total: '10000' });

    const fills = paper.onCandle('BTC/USDT', candle(1, '101', '102', '100', '101.5', '80'));

    // 101 * (1 + 10 bps) = 101.101, up to the 0.01 tick: 101.11; notional 10 * 101.11 = 1011.1; fee 1011.1 * 0.002 = 2.0222.
    expect(fills).toEqual([
      expect.objectContaining({
        price: '101.11',
        amount: '10',
        cost: '1011.1',
        fee: { currency: 'USDT', cost: '2.0222' },
        takerOrMaker: 'taker',
        timestamp: T0 + MINUTE,
      }),
    ]);
    expect(await paper.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'b1' })).toMatchObject({
      status: 'closed',
      filled: '10',
      average: '101.11',
      cost: '1011.1',
      fees: [{ currency: 'USDT', cost: '2.0222' }],
    });
    // 10000 - 1011.1 - 2.0222 = 8986.8778
    expect(await paper.fetchBalance()).toEqual({
      BTC: { free: '10', used: '0', total: '10' },
      USDT: { free: '8986.8778', used: '0', total: '8986.8778' },
    });
  });

  it('fills a limit buy partially when the candle volume is smaller than the order, then the rest', async () => {
    const paper = account({ balances: { USDT: '1000' } });
    await paper.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '10',
      price: '95',
      clientOrderId: 'l1',
    });
    // Held: 10 * 95 * 1.002 = 951.9
    expect((await paper.fetchBalance())['USDT']).toEqual({ free: '48.1', used: '951.9', total: '1000' });

    expect(paper.onCandle('BTC/USDT', candle(0, '100', '101', '96', '97', '30'))).toEqual([]); // low 96 > 95: no fill
    const first = paper.onCandle('BTC/USDT', candle(1, '100', '100', '94', '96', '4'));
    // Crossed (low 94 <= 95) at the limit; only 4 traded in the candle: 4 @ 95 = 380, maker fee 0.38.
    expect(first).toEqual([
      expect.objectContaining({
        amount: '4',
        price: '95',
        cost: '380',
        fee: { currency: 'USDT', cost: '0.38' },
        takerOrMaker: 'maker',
      }),
    ]);
    expect(await paper.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'l1' })).toMatchObject({
      status: 'open',
      filled: '4',
      remaining: '6',
    });

    const second = paper.onCandle('BTC/USDT', candle(2, '94', '96', '93', '95', '100'));
    // Opens through the limit: 6 @ 94 = 564, fee 0.564.
    expect(second).toEqual([
      expect.objectContaining({ amount: '6', price: '94', cost: '564', fee: { currency: 'USDT', cost: '0.564' } }),
    ]);
    expect(await paper.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'l1' })).toMatchObject({
      status: 'closed',
      filled: '10',
      cost: '944',
      average: '94.4',
      fees: [{ currency: 'USDT', cost: '0.944' }],
    });
    // 1000 - 944 - 0.944 = 55.056; the unspent hold is released.
    expect(await paper.fetchBalance()).toEqual({
      BTC: { free: '10', used: '0', total: '10' },
      USDT: { free: '55.056', used: '0', total: '55.056' },
    });
    expect((await paper.fetchMyTrades('BTC/USDT')).map((t) => t.id)).toEqual(['paper-1-t1', 'paper-1-t2']);
  });

  it('fills a market sell at the next ticker minus slippage', async () => {
    const paper = account({ balances: { BTC: '3' } });
    paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0, last: '210' });
    await paper.createOrder({ symbol: 'BTC/USDT', type: 'market', side: 'sell', amount: '2', clientOrderId: 's1' });

    const fills = paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0 + 1000, last: '200' });

    // 200 * (1 - 10 bps) = 199.8; 2 * 199.8 = 399.6; taker fee 0.7992; received 398.8008.
    expect(fills).toEqual([
      expect.objectContaining({ price: '199.8', cost: '399.6', fee: { currency: 'USDT', cost: '0.7992' } }),
    ]);
    expect(await paper.fetchBalance()).toEqual({
      BTC: { free: '1', used: '0', total: '1' },
      USDT: { free: '398.8008', used: '0', total: '398.8008' },
    });
  });

  it('fills a limit that was marketable when placed as taker', async () => {
    const paper = account();
    paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0, last: '100' });
    await paper.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '1',
      price: '105',
      clientOrderId: 't1',
    });

    const [fill] = paper.onCandle('BTC/USDT', candle(1, '101', '103', '100', '102', '10'));

    // Opens below the limit: fills at the open 101, taker fee 0.002 * 101 = 0.202.
    expect(fill).toMatchObject({ price: '101', takerOrMaker: 'taker', fee: { currency: 'USDT', cost: '0.202' } });
  });

  it('rounds the amount down to the lot step and the price to the tick', async () => {
    const paper = account();
    const order = await paper.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'buy',
      amount: '0.123456',
      price: '100.005',
      clientOrderId: 'r1',
    });
    expect(order).toMatchObject({ amount: '0.1234', price: '100.01' });
  });

  it('refuses orders below the minimum notional, over the balance, or with a used client order id', async () => {
    const paper = account({ balances: { USDT: '100', BTC: '0.5' } });

    const small = await rejection(
      paper.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '0.05',
        price: '100',
        clientOrderId: 'x1',
      }),
    );
    expect(small.code).toBe('invalid_order'); // 5 USDT < 10

    const tooBig = await rejection(
      paper.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '1',
        price: '100',
        clientOrderId: 'x2',
      }),
    );
    expect(tooBig.code).toBe('insufficient_funds'); // 100.2 needed, 100 free
    const oversold = await rejection(
      paper.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'sell',
        amount: '0.6',
        price: '100',
        clientOrderId: 'x3',
      }),
    );
    expect(oversold.code).toBe('insufficient_funds');

    await paper.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'sell',
      amount: '0.5',
      price: '100',
      clientOrderId: 'x4',
    });
    const duplicate = await rejection(
      paper.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'sell',
        amount: '0.1',
        price: '200',
        clientOrderId: 'x4',
      }),
    );
    expect(duplicate.code).toBe('invalid_order');
    expect(await paper.fetchOpenOrders()).toHaveLength(1);
  });

  it('cancels an open order by client order id, releasing its hold; a closed or unknown order is order_not_found', async () => {
    const paper = account({ balances: { BTC: '1' } });
    await paper.createOrder({
      symbol: 'BTC/USDT',
      type: 'limit',
      side: 'sell',
      amount: '0.4',
      price: '300',
      clientOrderId: 'c1',
    });
    expect((await paper.fetchBalance())['BTC']).toEqual({ free: '0.6', used: '0.4', total: '1' });

    expect((await paper.cancelOrder({ symbol: 'BTC/USDT', clientOrderId: 'c1' })).status).toBe('canceled');
    expect((await paper.fetchBalance())['BTC']).toEqual({ free: '1', used: '0', total: '1' });
    expect((await rejection(paper.cancelOrder({ symbol: 'BTC/USDT', clientOrderId: 'c1' }))).code).toBe(
      'order_not_found',
    );
    expect((await rejection(paper.fetchOrder({ symbol: 'BTC/USDT', id: 'nope' }))).code).toBe('order_not_found');
  });

  it('rejects a market buy whose fill would overdraw the account, leaving balances untouched', async () => {
    const paper = account({ balances: { USDT: '101' }, slippage: undefined });
    paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0, last: '100' });
    await paper.createOrder({ symbol: 'BTC/USDT', type: 'market', side: 'buy', amount: '1', clientOrderId: 'g1' });

    // Gaps up to 150: 150.3 needed, 101 in the account.
    expect(paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0 + 1, last: '150' })).toEqual([]);
    expect((await paper.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'g1' })).status).toBe('rejected');
    expect(await paper.fetchBalance()).toEqual({
      BTC: { free: '0', used: '0', total: '0' },
      USDT: { free: '101', used: '0', total: '101' },
    });
  });

  it('in margin mode sells without holding base: a short is a negative base balance', async () => {
    const paper = account({ mode: 'margin', slippage: undefined });
    paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0, last: '100' });
    await paper.createOrder({ symbol: 'BTC/USDT', type: 'market', side: 'sell', amount: '2', clientOrderId: 'sh1' });
    paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0 + 1, last: '100' });

    // Sold 2 @ 100 = 200, fee 0.4.
    expect(await paper.fetchBalance()).toEqual({
      BTC: { free: '-2', used: '0', total: '-2' },
      USDT: { free: '10199.6', used: '0', total: '10199.6' },
    });
  });

  it('is deterministic and survives a JSON snapshot mid-order', async () => {
    const feed = [
      candle(0, '100', '101', '99', '100', '5'),
      candle(1, '100', '100', '94', '96', '3'),
      candle(2, '96', '97', '90', '91', '50'),
    ];
    const run = async (snapshotAfter?: number) => {
      let paper = account();
      await paper.createOrder({
        symbol: 'BTC/USDT',
        type: 'limit',
        side: 'buy',
        amount: '5',
        price: '95',
        clientOrderId: 'd1',
      });
      for (const [i, c] of feed.entries()) {
        paper.onCandle('BTC/USDT', c);
        if (i === snapshotAfter) {
          const snapshot = JSON.parse(JSON.stringify(paper));
          paper = PaperExchangeAdapter.fromJSON(snapshot, { markets: [BTC_USDT], slippage: { bps: '10' } });
        }
      }
      return paper;
    };
    const straight = await run();
    const restored = await run(1);

    expect(JSON.stringify(restored)).toBe(JSON.stringify(straight));
    expect(await restored.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'd1' })).toMatchObject({
      status: 'closed',
      filled: '5',
    });
    // 3 @ 95 then 2 @ 95 (second candle opens at 96 > 95): cost 475, maker fee 0.475.
    expect((await restored.fetchBalance())['USDT']).toEqual({ free: '9524.525', used: '0', total: '9524.525' });
    expect(await restored.fetchOHLCV('BTC/USDT', '1m', T0 + MINUTE)).toHaveLength(1);
  });

  it('compacts closed orders and their trades, keeping open ones, the newest closed and the pinned', async () => {
    // 500 round trips of 0.1 BTC, then a resting limit: the snapshot keeps what was asked for, nothing more.
    const trade = async (paper: PaperExchangeAdapter, i: number) => {
      await paper.createOrder({ symbol: 'BTC/USDT', type: 'market', side: i % 2 ? 'sell' : 'buy', amount: '0.1', clientOrderId: `o${i}`, referencePrice: '100' });
      paper.onTicker({ symbol: 'BTC/USDT', timestamp: T0 + i, last: '100' });
    };
    const compacted = account();
    const full = account();
    for (let i = 0; i < 500; i++) {
      await trade(compacted, i);
      await trade(full, i);
      if (i % 50 === 49) compacted.compact({ keepClosed: 10, keep: new Set(['o3']) });
    }
    await compacted.createOrder({ symbol: 'BTC/USDT', type: 'limit', side: 'buy', amount: '1', price: '50', clientOrderId: 'rest' });
    await full.createOrder({ symbol: 'BTC/USDT', type: 'limit', side: 'buy', amount: '1', price: '50', clientOrderId: 'rest' });

    expect(compacted.compact({ keepClosed: 10, keep: new Set(['o3']) })).toBe(0);
    const snapshot = compacted.toJSON();
    expect(snapshot.orders.map((o) => o.clientOrderId)).toEqual(['o3', ...Array.from({ length: 10 }, (_, k) => `o${490 + k}`), 'rest']);
    expect(snapshot.trades.map((t) => t.clientOrderId)).toEqual(['o3', ...Array.from({ length: 10 }, (_, k) => `o${490 + k}`)]);
    expect(compacted.closedOrderCount()).toBe(11);
    // the money is the same as the uncompacted account's, and further fills are too (same order ids, same prices)
    expect(snapshot.balances).toEqual(full.toJSON().balances);
    expect(snapshot.sequence).toBe(full.toJSON().sequence);
    const later = { symbol: 'BTC/USDT', timestamp: T0 + 1000, last: '49' };
    expect(compacted.onTicker(later)).toEqual(full.onTicker(later));
    expect((await rejection(compacted.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'o5' }))).code).toBe('order_not_found');
    expect(await compacted.fetchOrder({ symbol: 'BTC/USDT', clientOrderId: 'o3' })).toMatchObject({ status: 'closed', filled: '0.1' });
  });

  it('answers tickers and candles from what it was fed, and refuses unknown pairs', async () => {
    const paper = account();
    expect((await rejection(paper.fetchTicker('BTC/USDT'))).code).toBe('unknown');
    paper.onCandle('BTC/USDT', candle(0, '1', '2', '0.5', '1.5', '10'));
    expect(await paper.fetchTicker('BTC/USDT')).toMatchObject({ last: '1.5', timestamp: T0 });
    expect(await paper.fetchOHLCV('BTC/USDT', '1m')).toEqual([candle(0, '1', '2', '0.5', '1.5', '10')]);
    const error = await paper
      .createOrder({ symbol: 'ETH/USDT', type: 'market', side: 'buy', amount: '1', clientOrderId: 'e' })
      .catch((e: ExchangeError) => e);
    expect((error as ExchangeFinalError).code).toBe('invalid_order');
  });
});
