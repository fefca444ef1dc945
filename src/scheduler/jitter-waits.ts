/**
 * The jitter delays of runs waiting to start: long timers on the scheduler's clock (a delay may
 * exceed what one timer accepts), all cancelled together when the scheduler shuts down.
 *
 * @internal
 * @module
 */
import type { Clock } from '../clock/clock.js';
import { LongTimer } from '../clock/long-timer.js';

/** Delays in progress. */
export class JitterWaits {
  /** Each pending delay's timer, and how to end its wait. */
  readonly #waits = new Map<LongTimer, (started: boolean) => void>();

  constructor(private readonly clock: Clock) {}

  /** Resolves `true` after `delayMs`, or `false` once {@link JitterWaits.cancelAll} is called first. */
  wait(delayMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = new LongTimer(this.clock, delayMs, () => {
        this.#waits.delete(timer);
        resolve(true);
      });
      this.#waits.set(timer, resolve);
    });
  }

  /** Cancels every delay in progress: each resolves `false`, and no timer is left armed. */
  cancelAll(): void {
    for (const [timer, resolve] of this.#waits) {
      timer.cancel();
      resolve(false);
    }
    this.#waits.clear();
  }
}
