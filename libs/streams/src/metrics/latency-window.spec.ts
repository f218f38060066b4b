import { LatencyWindow } from './latency-window';
import { RateMeter } from './rate-meter';

describe('LatencyWindow', () => {
  it('gives nearest-rank percentiles of the samples it holds', () => {
    const window = new LatencyWindow(100);
    for (let ms = 1; ms <= 100; ms++) window.record(ms);
    expect(window.percentiles(50, 99, 100)).toEqual([50, 99, 100]);
  });

  it('forgets the oldest samples once full', () => {
    const window = new LatencyWindow(4);
    [1000, 1000, 1, 2, 3, 4].forEach((ms) => window.record(ms));
    expect(window.percentiles(100)).toEqual([4]);
  });

  it('is empty before any sample', () => {
    expect(new LatencyWindow().percentiles(50)).toEqual([null]);
  });
});

describe('RateMeter', () => {
  it('averages complete seconds of its window', () => {
    let now = 1_000_000;
    const meter = new RateMeter(10, () => now);
    for (let s = 0; s < 9; s++) {
      meter.mark(90);
      now += 1000;
    }
    meter.mark(5_000); // the current second is still filling and is left out
    expect(meter.perSecond()).toBe(90);
  });

  it('drops seconds older than the window', () => {
    let now = 0;
    const meter = new RateMeter(10, () => now);
    meter.mark(900);
    now += 60_000;
    expect(meter.perSecond()).toBe(0);
  });
});
