/**
 * Per-client-IP throttle of wrong Node API credentials. Without it a client could try 200 passwords
 * in 177 ms (issue 10, item 11). After `maxFailures` wrong answers within `windowMs` of the first,
 * that address is refused with 429 until the window ends, right credentials included: letting a
 * right guess through while refusing wrong ones would tell the guesser which one was right.
 * Other addresses (the portal's, usually) are not affected. Checking and counting happen in one
 * synchronous step of the auth hook, so concurrent guesses cannot slip past the count.
 */
export interface AuthThrottleOptions {
  maxFailures: number;
  windowMs: number;
}

interface Window {
  startMs: number;
  failures: number;
}

// Bounds memory under a spray from many addresses; the oldest windows go first.
const MAX_TRACKED_ADDRESSES = 10_000;

export class AuthThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly options: AuthThrottleOptions) {}

  /** Seconds until `ip` may try again, or 0 when it may try now. */
  retryAfterSeconds(ip: string, nowMs = Date.now()): number {
    const window = this.current(ip, nowMs);
    if (!window || window.failures < this.options.maxFailures) return 0;
    return Math.max(1, Math.ceil((window.startMs + this.options.windowMs - nowMs) / 1000));
  }

  recordFailure(ip: string, nowMs = Date.now()): void {
    let window = this.current(ip, nowMs);
    if (!window) {
      if (this.windows.size >= MAX_TRACKED_ADDRESSES) this.evict(nowMs);
      window = { startMs: nowMs, failures: 0 };
      this.windows.set(ip, window);
    }
    window.failures += 1;
  }

  private current(ip: string, nowMs: number): Window | undefined {
    const window = this.windows.get(ip);
    if (window && nowMs - window.startMs >= this.options.windowMs) {
      this.windows.delete(ip);
      return undefined;
    }
    return window;
  }

  private evict(nowMs: number): void {
    for (const [ip, window] of this.windows) {
      if (nowMs - window.startMs >= this.options.windowMs) this.windows.delete(ip);
    }
    if (this.windows.size >= MAX_TRACKED_ADDRESSES) this.windows.delete(this.windows.keys().next().value as string);
  }
}
