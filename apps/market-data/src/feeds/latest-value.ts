/**
 * Holds only the newest value put in; `take` hands it over once (waiting for one when empty).
 * Between a chatty producer and a slower consumer, every value but the latest is dropped.
 */
export class LatestValue<T> {
  private value: { readonly current: T } | undefined;
  private wake: (() => void) | undefined;

  put(value: T): void {
    this.value = { current: value };
    this.wake?.();
  }

  /** Puts back a value that could not be handed over, unless a newer one arrived meanwhile. */
  restore(value: T): void {
    if (!this.value) this.put(value);
  }

  /** The newest value, or undefined when the signal aborts before there is one. */
  async take(signal: AbortSignal): Promise<T | undefined> {
    while (!this.value) {
      if (signal.aborted) return undefined;
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          this.wake = undefined;
          resolve();
        };
        this.wake = () => {
          this.wake = undefined;
          signal.removeEventListener('abort', onAbort);
          resolve();
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    }
    const { current } = this.value;
    this.value = undefined;
    return current;
  }
}
