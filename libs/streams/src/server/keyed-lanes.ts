/**
 * Runs tasks that share a lane one after another, in submission order; tasks of different
 * lanes (or with no lane) run concurrently. Lanes are dropped once idle, so memory follows
 * the number of keys in flight, not the number ever seen.
 */
export class KeyedLanes {
  private readonly tails = new Map<string, Promise<void>>();

  run(lane: string | null, task: () => Promise<void>): Promise<void> {
    if (lane === null) return task();
    const previous = this.tails.get(lane);
    const next = previous ? previous.then(task, task) : task();
    this.tails.set(lane, next);
    void next.finally(() => {
      if (this.tails.get(lane) === next) this.tails.delete(lane);
    });
    return next;
  }

  get size(): number {
    return this.tails.size;
  }
}
