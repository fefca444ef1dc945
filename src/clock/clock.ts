/**
 * The clock contract: where the scheduler reads the wall-clock time and arms its timers. Inject
 * `VirtualClock` from `timetable/testing` to drive a scheduler in tests without sleeping.
 *
 * @module
 */

/** An opaque handle returned by {@link Clock.setTimeout}. */
export type ClockTimer = unknown;

/** Wall-clock time and timers. */
export interface Clock {
  /** The current wall-clock time in epoch milliseconds. */
  now(): number;
  /**
   * Calls `callback` once after `delayMs` milliseconds. The scheduler never passes a negative
   * delay or one above 2^31-1 ms.
   */
  setTimeout(callback: () => void, delayMs: number): ClockTimer;
  /** Cancels a timer; a timer that already fired or was cleared is ignored. */
  clearTimeout(timer: ClockTimer): void;
}

/** The real clock: `Date.now()` and Node's timers. */
export class SystemClock implements Clock {
  /** @inheritDoc */
  now(): number {
    return Date.now();
  }

  /** @inheritDoc */
  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    return setTimeout(callback, delayMs);
  }

  /** @inheritDoc */
  clearTimeout(timer: ClockTimer): void {
    clearTimeout(timer as ReturnType<typeof setTimeout>);
  }
}
