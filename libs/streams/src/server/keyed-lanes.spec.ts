import { KeyedLanes } from './keyed-lanes';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyedLanes', () => {
  it('runs tasks of one lane in order, one at a time, and other lanes alongside', async () => {
    const lanes = new KeyedLanes();
    const log: string[] = [];
    const gate = deferred();
    const a1 = lanes.run('a', async () => {
      log.push('a1 start');
      await gate.promise;
      log.push('a1 end');
    });
    const a2 = lanes.run('a', async () => {
      log.push('a2');
    });
    const b1 = lanes.run('b', async () => {
      log.push('b1');
    });
    await b1;
    expect(log).toEqual(['a1 start', 'b1']);
    gate.resolve();
    await Promise.all([a1, a2]);
    expect(log).toEqual(['a1 start', 'b1', 'a1 end', 'a2']);
  });

  it('forgets idle lanes', async () => {
    const lanes = new KeyedLanes();
    await lanes.run('a', async () => undefined);
    await Promise.resolve();
    expect(lanes.size).toBe(0);
  });

  it('runs tasks without a lane at once', async () => {
    const lanes = new KeyedLanes();
    const gate = deferred();
    const log: string[] = [];
    const first = lanes.run(null, async () => {
      await gate.promise;
      log.push('first');
    });
    await lanes.run(null, async () => {
      log.push('second');
    });
    gate.resolve();
    await first;
    expect(log).toEqual(['second', 'first']);
  });
});
