/**
 * The jitter delays of runs waiting to start: timers on the scheduler's clock, cut into steps no
 * timer can overflow, all cancelled together when the scheduler shuts down.
 *
 * @internal
 * @module
 */
import type { Clock, ClockTimer } from '../clock/clock.js';

/** Longest timer Node accepts (2^31-1 ms). */
const MAX_TIMER = 2 ** 31 - 1;

interface JitterWait {
  timer: ClockTimer;
  resolve: (started: boolean) => void;
}

/** Delays in progress. */
export class JitterWaits {
  readonly #waits = new Set<JitterWait>();

  constructor(private readonly clock: Clock) {}

  /** Resolves `true` after `delayMs`, or `false` once {@link JitterWaits.cancelAll} is called first. */
  wait(delayMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const wait: JitterWait = { timer: null, resolve };
      let left = delayMs;
      const step = (): void => {
        if (left <= 0) {
          this.#waits.delete(wait);
          resolve(true);
          return;
        }
        const chunk = Math.min(left, MAX_TIMER);
        left -= chunk;
        wait.timer = this.clock.setTimeout(step, chunk);
      };
      this.#waits.add(wait);
      step();
    });
  }

  /** Cancels every delay in progress: each resolves `false`, and no timer is left armed. */
  cancelAll(): void {
    for (const wait of this.#waits) {
      if (wait.timer !== null) this.clock.clearTimeout(wait.timer);
      wait.resolve(false);
    }
    this.#waits.clear();
  }
}
