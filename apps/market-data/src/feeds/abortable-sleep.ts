/**
 * Waits `ms`, or less when the signal aborts. The abort listener is removed when the timer fires:
 * feeds sleep once per round for the life of the process on one long-lived signal.
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Reconnect backoff of the live feeds: 1 s, 2 s, 4 s ... capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(1000 * 2 ** Math.min(attempt - 1, 5), 30_000);
}
