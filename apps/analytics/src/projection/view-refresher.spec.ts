import { DashboardViewsRepository } from '../read-model/dashboard-views.repository';
import { ViewRefresher } from './view-refresher';

describe('ViewRefresher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function refresherWith(refresh: () => Promise<void>): ViewRefresher {
    return new ViewRefresher({ refreshMaterializedViews: refresh } as unknown as DashboardViewsRepository, 1000);
  }

  it('refreshes once for a burst of changes, after the debounce', async () => {
    const refresh = jest.fn(() => Promise.resolve());
    const refresher = refresherWith(refresh);
    for (let i = 0; i < 50; i++) refresher.schedule();
    expect(refresh).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(1000);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresher.refreshes).toBe(1);
  });

  it('never runs two refreshes at once, and refreshes again for changes made during one', async () => {
    let finish: () => void = () => undefined;
    const refresh = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const refresher = refresherWith(refresh);
    refresher.schedule();
    await jest.advanceTimersByTimeAsync(1000);
    refresher.schedule();
    refresher.schedule();
    await jest.advanceTimersByTimeAsync(5000);
    expect(refresh).toHaveBeenCalledTimes(1);
    finish();
    await jest.advanceTimersByTimeAsync(1000);
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('survives a failed refresh and stops scheduling on shutdown', async () => {
    const refresh = jest.fn(() => Promise.reject(new Error('view is locked')));
    const refresher = refresherWith(refresh);
    refresher.schedule();
    await jest.advanceTimersByTimeAsync(1000);
    expect(refresher.refreshes).toBe(0);
    await refresher.onApplicationShutdown();
    refresher.schedule();
    await jest.advanceTimersByTimeAsync(5000);
    expect(refresh).toHaveBeenCalledTimes(1);
  });
});
