/**
 * A one-shot timer on a {@link Clock} that may wait longer than a single timer can (2^31-1 ms,
 * about 24.8 days).
 *
 * @internal
 * @module
 */
import type { Clock, ClockTimer } from './clock.js';

/** Longest delay one timer accepts. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Calls `fire` once `delayMs` have passed on `clock`, arming timers of at most
 * {@link MAX_TIMER_MS} in turn. It counts the delays waited rather than reading the clock, so a
 * step of the wall clock neither fires nor postpones it.
 */
export class LongTimer {
  #timer: ClockTimer | null = null;

  constructor(
    private readonly clock: Clock,
    delayMs: number,
    private readonly fire: () => void,
  ) {
    this.#arm(delayMs);
  }

  /** Stops the timer; `fire` is not called. Safe to call more than once, or after it fired. */
  cancel(): void {
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }

  #arm(remainingMs: number): void {
    const step = Math.min(remainingMs, MAX_TIMER_MS);
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = null;
      if (remainingMs > step) this.#arm(remainingMs - step);
      else this.fire();
    }, step);
  }
}
