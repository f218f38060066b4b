import { ohlcvPartitionName, utcMonthStart } from './ohlcv-partition-maintenance';

describe('OHLCV partition naming', () => {
  it('uses the UTC month, whatever the local time zone says', () => {
    expect(ohlcvPartitionName(new Date('2026-11-30T23:59:59.999Z'))).toBe('ohlcv_y2026m11');
    expect(ohlcvPartitionName(new Date('2026-12-01T00:00:00Z'))).toBe('ohlcv_y2026m12');
    expect(ohlcvPartitionName(new Date('2004-01-15T12:00:00Z'))).toBe('ohlcv_y2004m01');
  });

  it('starts the range on the first day of that UTC month', () => {
    expect(utcMonthStart(new Date('2026-02-28T23:00:00Z'))).toBe('2026-02-01');
    expect(utcMonthStart(new Date('2026-03-01T00:00:00Z'))).toBe('2026-03-01');
  });
});
