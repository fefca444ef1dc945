import type { Clock, ClockTimer } from '../clock/clock.js';

// Bundled on its own for CJS: a runtime import of core would ship a second copy of its classes,
// so bad arguments throw plain TypeError/RangeError rather than InvalidArgumentError.

/** Node's (and the Clock contract's) largest delay; above it Node fires after 1 ms. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** The largest distance from the epoch a `Date` can hold, in ms (ECMAScript's time value range). */
const MAX_INSTANT_MS = 8.64e15;
/** `setImmediate` turns per flush: enough for chains that hop through a few macrotasks. */
const FLUSH_TURNS = 10;
/** The ECMAScript date-time format with a mandatory offset, so the host zone never leaks in. */
const ISO_WITH_OFFSET = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2})(?:\.\d{1,3})?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/** A pending timer; the object itself is the opaque handle. `due` is on the monotonic timeline. */
interface VirtualTimer {
  readonly callback: () => void;
  readonly due: number;
}

/**
 * A {@link Clock} whose time only moves when a test says so, so a schedule can be tested without
 * sleeping. Like the real host it keeps two timelines: timers run on a monotonic timeline (as
 * Node's timers do) that only {@link VirtualClock.advance} moves, while {@link VirtualClock.now}
 * reads a wall clock that {@link VirtualClock.jump} can also step (a system sleep, an NTP
 * correction), leaving pending timers' delays untouched.
 *
 * Timers are driven with real `setImmediate` turns in between; do not combine it with fake timers
 * that replace `setImmediate`.
 *
 * @example
 * ```ts
 * const clock = new VirtualClock('2026-03-29T00:00:00Z');
 * const scheduler = new Scheduler({ clock, timezone: 'Europe/Helsinki' });
 * await scheduler.start();
 * await clock.advanceTo('2026-03-29T06:00:00Z'); // every run due on the way fires at its time
 * ```
 */
export class VirtualClock implements Clock {
  /** Milliseconds since construction on the monotonic timeline; only `advance` moves it. */
  #monotonic = 0;
  /** `now()` is `#monotonic + #wallOffset`; `jump` moves only this. */
  #wallOffset: number;
  /** Pending timers sorted by due instant, then arming order. */
  readonly #timers: VirtualTimer[] = [];
  /** The last queued advance: advances run one after another, never interleaved. */
  #tail: Promise<void> = Promise.resolve();

  /**
   * @param start - the initial wall-clock time: a `Date`, epoch milliseconds within
   *   ±8.64e15 (what a `Date` can hold), or an ISO-8601 string with an offset (`Z` or
   *   `+02:00`); defaults to `2026-01-01T00:00:00.000Z`
   * @throws TypeError or RangeError when `start` is not a valid instant
   */
  constructor(start: Date | number | string = '2026-01-01T00:00:00.000Z') {
    this.#wallOffset = toEpochMs(start, 'start', 'VirtualClock');
  }

  /** The current virtual wall-clock time in epoch milliseconds. */
  now(): number {
    return this.#monotonic + this.#wallOffset;
  }

  /**
   * Arms a virtual timer that fires once, during an advance, when the monotonic timeline reaches
   * `delayMs` from now. Timers due at the same instant fire in the order they were armed. A delay
   * of 0 fires on the next advance (even `advance(0)`), not after 1 ms as in Node.
   *
   * @param callback - called with `now()` equal to the timer's due instant
   * @param delayMs - a finite delay in `[0, 2^31-1]` ms
   * @returns an opaque handle for {@link VirtualClock.clearTimeout}
   * @throws RangeError for a negative, NaN, infinite or too-long delay (a real host would
   *   misbehave), TypeError when the callback is not a function
   */
  setTimeout(callback: () => void, delayMs: number): ClockTimer {
    if (typeof callback !== 'function') throw new TypeError('VirtualClock.setTimeout: callback must be a function');
    checkMs(delayMs, 'delayMs', MAX_DELAY_MS);
    const timer: VirtualTimer = { callback, due: this.#monotonic + delayMs };
    // Insert before the first timer due strictly later, so equal due times keep arming order.
    const later = this.#timers.findIndex((other) => other.due > timer.due);
    this.#timers.splice(later < 0 ? this.#timers.length : later, 0, timer);
    return timer;
  }

  /**
   * Cancels a timer; one that already fired or was cleared, or a foreign value, is ignored.
   *
   * @param timer - a handle returned by {@link VirtualClock.setTimeout}
   */
  clearTimeout(timer: ClockTimer): void {
    const index = this.#timers.indexOf(timer as VirtualTimer);
    if (index >= 0) this.#timers.splice(index, 1);
  }

  /**
   * Moves both clocks forward by `ms`, firing each timer that comes due on the way at its own due
   * instant, and flushing promise callbacks after each one so async work it started settles
   * before the next timer. Timers armed meanwhile fire too if they fall due within the window.
   * Concurrent calls are queued and run one after another.
   *
   * If a timer callback throws, the advance stops at that timer's due instant (after flushing)
   * and rejects with the error; later timers stay pending.
   *
   * @param ms - a finite number of milliseconds `>= 0`
   * @throws RangeError (as a rejection, before time moves) for a negative or non-finite `ms`, or
   *   one that would take `now()` beyond what a `Date` can hold (8.64e15 ms from the epoch);
   *   checked when the advance's turn comes, after the advances queued before it
   */
  advance(ms: number): Promise<void> {
    return this.#enqueue(() => {
      checkMs(ms, 'ms', Infinity);
      this.#checkReachable('advance', this.now() + ms);
      return this.#monotonic + ms;
    });
  }

  /**
   * Advances until the wall clock reads `instant` (see {@link VirtualClock.advance}).
   *
   * @param instant - a `Date`, epoch milliseconds within ±8.64e15, or an ISO-8601 string with
   *   an offset
   * @throws RangeError (as a rejection, before time moves) when `instant` is before `now()` or
   *   is not an instant a `Date` can hold
   */
  advanceTo(instant: Date | number | string): Promise<void> {
    return this.#enqueue(() => {
      const target = toEpochMs(instant, 'instant', 'VirtualClock.advanceTo');
      if (target < this.now()) throw new RangeError(`VirtualClock.advanceTo: ${target} is before now (${this.now()})`);
      return target - this.#wallOffset;
    });
  }

  /**
   * Steps the wall clock only, as a system sleep that timers did not see or an NTP correction
   * would. Pending timers keep their monotonic due times, so their delays do not change.
   *
   * @param ms - a finite number of milliseconds; negative moves the wall clock backwards
   * @throws RangeError, before the clock moves, for a non-finite `ms` or one that would take
   *   `now()` beyond what a `Date` can hold (8.64e15 ms from the epoch)
   */
  jump(ms: number): void {
    checkMs(ms, 'ms', Infinity, -Infinity);
    this.#checkReachable('jump', this.now() + ms);
    this.#wallOffset += ms;
  }

  /** Lets pending promise callbacks run: a few `setImmediate` turns, without moving time. */
  async flush(): Promise<void> {
    for (let turn = 0; turn < FLUSH_TURNS; turn++) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Resolves when virtual time has moved `ms` forward, for tasks under test that wait.
   * @param ms - a delay as for {@link VirtualClock.setTimeout}
   */
  sleep(ms: number): Promise<void> {
    // Arming inside the executor turns a bad delay into a rejection rather than a throw.
    return new Promise<void>((resolve) => {
      this.setTimeout(resolve, ms);
    });
  }

  /** How many timers are armed and not yet fired or cleared. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** Milliseconds until the earliest pending timer fires, or `null` when none is armed. */
  nextTimerDelay(): number | null {
    const first = this.#timers[0];
    return first === undefined ? null : first.due - this.#monotonic;
  }

  /** Refuses a wall-clock result no `Date` can hold: every `new Date(now())` would be invalid. */
  #checkReachable(method: string, target: number): void {
    if (Math.abs(target) <= MAX_INSTANT_MS) return;
    throw new RangeError(
      `VirtualClock.${method}: it would move now() from ${this.now()} to ${target}, beyond what a Date can hold ` +
        `(±${MAX_INSTANT_MS} ms from the epoch)`,
    );
  }

  /** Runs an advance after the previous one; `target` computes the monotonic goal at its turn. */
  #enqueue(target: () => number): Promise<void> {
    const run = this.#tail.then(async () => this.#runUntil(target()));
    // A failed advance must not poison the ones queued after it.
    this.#tail = run.catch(() => undefined);
    return run;
  }

  async #runUntil(target: number): Promise<void> {
    // Work started just before the call (an un-awaited start()) may still be arming timers.
    await this.flush();
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.due > target) break;
      this.#timers.shift();
      this.#monotonic = next.due;
      let failure: { error: unknown } | null = null;
      try {
        next.callback();
      } catch (error) {
        failure = { error }; // rethrown after the flush, so work the callback started settles
      }
      await this.flush();
      if (failure !== null) throw failure.error;
    }
    this.#monotonic = target;
    await this.flush();
  }
}

/** Checks a millisecond amount: a finite number in `[min, max]`. */
function checkMs(value: unknown, name: string, max: number, min = 0): asserts value is number {
  if (typeof value !== 'number') throw new TypeError(`VirtualClock: ${name} must be a number, got ${typeof value}`);
  if (!Number.isFinite(value) || value < min || value > max) {
    const range = min === -Infinity ? 'a finite number' : `a finite number in [${min}, ${max}]`;
    throw new RangeError(`VirtualClock: ${name} must be ${range}, got ${value}`);
  }
}

/**
 * Converts a `Date`, epoch ms or ISO-8601-with-offset string to epoch ms, strictly: only
 * instants a `Date` can hold. `call` names the method in messages.
 */
function toEpochMs(value: unknown, name: string, call: string): number {
  if (value instanceof Date || typeof value === 'number') {
    const ms = value instanceof Date ? value.getTime() : value;
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_INSTANT_MS) {
      const range = `a Date holds ±${MAX_INSTANT_MS} ms`;
      throw new RangeError(`${call}: ${name} ${String(ms)} is not a valid instant (${range})`);
    }
    return ms;
  }
  if (typeof value !== 'string') throw new TypeError(`${call}: ${name} must be a Date, a number or a string`);
  const m = ISO_WITH_OFFSET.exec(value);
  const ms = Date.parse(value);
  if (m !== null && !Number.isNaN(ms)) {
    const [, date, hourMinute, second = '00', sign, offsetH = '0', offsetM = '0'] = m;
    const offsetMs = (sign === '-' ? -1 : 1) * (Number(offsetH) * 60 + Number(offsetM)) * 60_000;
    // V8 rolls impossible fields over (Feb 30 -> Mar 2, 24:00 -> next day); reading the local
    // fields back rejects such strings instead of silently testing another instant.
    const local = new Date(ms + offsetMs).toISOString();
    if (local.startsWith(`${date}T${hourMinute}:${second}`) && Number(offsetH) < 24 && Number(offsetM) < 60) return ms;
  }
  throw new RangeError(`${call}: ${name} ${JSON.stringify(value)} is not a valid ISO-8601 date-time with an offset`);
}
