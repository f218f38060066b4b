import DecimalJs from 'decimal.js';
import fc from 'fast-check';
import type { MarketInfo } from '../exchange.port';
import { PaperExchangeAdapter } from './paper-exchange.adapter';

const Decimal = DecimalJs.clone({ precision: 40 });

const MARKET: MarketInfo = {
  symbol: 'BTC/USDT',
  base: 'BTC',
  quote: 'USDT',
  priceTick: '0.01',
  amountStep: '0.001',
  minNotional: '1',
  makerFee: '0.001',
  takerFee: '0.002',
};

const price = fc.integer({ min: 5_000, max: 15_000 }).map((cents) => (cents / 100).toFixed(2));
const amount = fc.integer({ min: 10, max: 3_000 }).map((milli) => (milli / 1000).toFixed(3));
const action = fc.oneof(
  fc.record({
    kind: fc.constant('limit' as const),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    amount,
    price,
  }),
  fc.record({ kind: fc.constant('market' as const), side: fc.constantFrom('buy' as const, 'sell' as const), amount }),
  fc.record({ kind: fc.constant('cancel' as const), index: fc.nat(20) }),
  fc.record({
    kind: fc.constant('candle' as const),
    open: price,
    close: price,
    spread: fc.integer({ min: 0, max: 500 }),
    volume: fc.integer({ min: 0, max: 4_000 }).map((milli) => (milli / 1000).toFixed(3)),
  }),
);

describe('PaperExchangeAdapter accounting invariants', () => {
  it('spot balances never go negative, and balances equal the start plus the booked trades', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 40 }), async (actions) => {
        const paper = new PaperExchangeAdapter({
          markets: [MARKET],
          balances: { USDT: '1000', BTC: '5' },
          slippage: { bps: '5', impactBps: '20' },
        });
        paper.onTicker({ symbol: 'BTC/USDT', timestamp: 0, last: '100' });
        const placed: string[] = [];
        let t = 1;
        for (const a of actions) {
          if (a.kind === 'candle') {
            const high = Decimal.max(a.open, a.close).plus(new Decimal(a.spread).div(100)).toFixed();
            const low = Decimal.max(
              Decimal.min(a.open, a.close).minus(new Decimal(a.spread).div(100)),
              '0.01',
            ).toFixed();
            paper.onCandle('BTC/USDT', {
              timestamp: t++ * 60_000,
              open: a.open,
              high,
              low,
              close: a.close,
              volume: a.volume,
            });
          } else if (a.kind === 'cancel') {
            const id = placed[a.index % Math.max(placed.length, 1)];
            if (id) await paper.cancelOrder({ symbol: 'BTC/USDT', id }).catch(() => undefined);
          } else {
            const clientOrderId = `p${t++}`;
            const order = await paper
              .createOrder({
                symbol: 'BTC/USDT',
                type: a.kind,
                side: a.side,
                amount: a.amount,
                price: 'price' in a ? a.price : undefined,
                clientOrderId,
              })
              .catch(() => undefined);
            if (order) placed.push(order.id);
          }
        }

        const balances = await paper.fetchBalance();
        for (const b of Object.values(balances)) {
          expect(new Decimal(b.free).isNegative()).toBe(false);
          expect(new Decimal(b.used).isNegative()).toBe(false);
        }
        let usdt = new Decimal(1000);
        let btc = new Decimal(5);
        for (const trade of await paper.fetchMyTrades('BTC/USDT')) {
          const sign = trade.side === 'buy' ? 1 : -1;
          btc = btc.plus(new Decimal(trade.amount).times(sign));
          usdt = usdt.minus(new Decimal(trade.cost).times(sign)).minus(trade.fee.cost);
        }
        expect(balances['USDT']!.total).toBe(usdt.toFixed());
        expect(balances['BTC']!.total).toBe(btc.toFixed());
        // Nothing stays held once no order is open.
        if ((await paper.fetchOpenOrders()).length === 0) {
          expect(balances['USDT']!.used).toBe('0');
          expect(balances['BTC']!.used).toBe('0');
        }
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
