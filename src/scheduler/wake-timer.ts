/**
 * The loop's one timer. A wake for a due instant on the system clock comes on time: Node's
 * timers count whole milliseconds from a cached loop time and fire up to 1-2 ms after their
 * delay, so every run would start that late before the scheduler did any work. Such a wake arms
 * Node's timer {@link SLEEP_MS} early and sleeps the rest of the way (`Atomics.wait`, which spends
 * no CPU) to the instant measured on the monotonic high-resolution clock. The event loop is held
 * for at most that long per wake, less than a pass of a few dozen jobs takes.
 *
 * Any other clock (a `VirtualClock`, a subclass, a user's) is armed for the delay as is.
 *
 * @internal
 * @module
 */
import { SystemClock, type Clock, type ClockTimer } from '../clock/clock.js';
import { MAX_TIMER_MS } from '../clock/long-timer.js';

/** How long before an instant the system clock's timer fires; the rest is slept. */
export const SLEEP_MS = 1;

/** Wall-clock time with sub-millisecond resolution. */
const preciseNow = (): number => performance.timeOrigin + performance.now();

/** One timer at a time: arming it again replaces the armed one. */
export class WakeTimer {
  #timer: ClockTimer | null = null;
  /** The armed timer has no delay. */
  #immediate = false;
  /** What `Atomics.wait` waits on (nobody ever notifies it: it only times out). */
  readonly #sleeper: Int32Array | null;

  /** @param maxWaitMs - the longest wait armed (a later wake is cut to it) */
  constructor(
    private readonly clock: Clock,
    private readonly maxWaitMs: number,
  ) {
    // Only the built-in clock is known to read `Date.now()`, the time the sleep is measured on.
    const system = Object.getPrototypeOf(clock) === SystemClock.prototype;
    this.#sleeper = system ? new Int32Array(new SharedArrayBuffer(4)) : null;
  }

  /** Whether the pending timer has no delay: another wake now has nothing to add. */
  get immediate(): boolean {
    return this.#timer !== null && this.#immediate;
  }

  /**
   * Calls `wake` after `delayMs` (cut to 0 .. `maxWaitMs`); with `precise`, at that instant
   * rather than a timer's granularity later.
   */
  arm(delayMs: number, precise: boolean, wake: () => void): void {
    this.disarm();
    const delay = Math.min(Math.max(0, delayMs), this.maxWaitMs, MAX_TIMER_MS);
    this.#immediate = delay === 0;
    const sleeper = precise && delay > SLEEP_MS ? this.#sleeper : null;
    if (sleeper === null) {
      this.#timer = this.clock.setTimeout(() => {
        this.#timer = null;
        wake();
      }, delay);
      return;
    }
    const at = this.clock.now() + delay;
    this.#timer = this.clock.setTimeout(() => {
      this.#timer = null;
      const rest = at - preciseNow();
      if (rest > 0) Atomics.wait(sleeper, 0, 0, Math.min(rest, SLEEP_MS));
      wake();
    }, delay - SLEEP_MS);
  }

  /** Cancels the pending timer, if any. */
  disarm(): void {
    if (this.#timer !== null) this.clock.clearTimeout(this.#timer);
    this.#timer = null;
  }
}
