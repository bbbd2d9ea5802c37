/**
 * Runs at most `concurrency` tasks at once; up to `maxQueued` more wait their turn, and beyond that
 * a task is refused at once (`tryRun` returns undefined) so a burst costs the caller a quick answer
 * rather than a growing wait. `stats` is for logs, health and tests: the bound is observable.
 */
export function createConcurrencyLimiter(options: { concurrency: number; maxQueued: number }) {
  const waiting: Array<() => void> = [];
  const stats = { running: 0, queued: 0, peakRunning: 0, refused: 0, completed: 0 };

  // A finished task hands its slot straight to the next waiter, so no newcomer can slip in between.
  const release = () => {
    const start = waiting.shift();
    stats.queued = waiting.length;
    if (start) start();
    else stats.running -= 1;
  };

  return {
    tryRun<T>(task: () => Promise<T>): Promise<T> | undefined {
      const execute = async (): Promise<T> => {
        try {
          return await task();
        } finally {
          stats.completed += 1;
          release();
        }
      };
      if (stats.running < options.concurrency) {
        stats.running += 1;
        stats.peakRunning = Math.max(stats.peakRunning, stats.running);
        return execute();
      }
      if (waiting.length >= options.maxQueued) {
        stats.refused += 1;
        return undefined;
      }
      return new Promise<void>((resolve) => {
        waiting.push(resolve);
        stats.queued = waiting.length;
      }).then(execute);
    },
    stats: (): Readonly<typeof stats> => ({ ...stats }),
  };
}

export type ConcurrencyLimiter = ReturnType<typeof createConcurrencyLimiter>;
