/** Test helpers: a scheduler on a virtual clock, and an event recorder. */
import { Scheduler } from '../../src/index.js';
import type { SchedulerEventMap, SchedulerOptions } from '../../src/index.js';
import { VirtualClock } from '../../src/testing/index.js';
import { SCHEDULER_EVENT_NAMES } from '../../src/events/event-names.js';

export const T0 = Date.parse('2026-01-05T00:00:00.000Z');

/** A scheduler in UTC on a virtual clock that starts at {@link T0}. */
export function makeScheduler(options: SchedulerOptions = {}): { clock: VirtualClock; scheduler: Scheduler } {
  const clock = new VirtualClock(T0);
  const scheduler = new Scheduler({ clock, timezone: 'UTC', ...options });
  return { clock, scheduler };
}

type AnyEvent = SchedulerEventMap[keyof SchedulerEventMap];

/** Records every event the scheduler emits, in order. */
export function recordEvents(scheduler: Scheduler): AnyEvent[] {
  const events: AnyEvent[] = [];
  for (const name of SCHEDULER_EVENT_NAMES) scheduler.on(name, (event) => void events.push(event));
  return events;
}

/** Events of one type, with their payload type. */
export function ofType<K extends keyof SchedulerEventMap>(events: AnyEvent[], type: K): SchedulerEventMap[K][] {
  return events.filter((event) => event.type === type) as SchedulerEventMap[K][];
}

/** ISO strings of the given dates, for readable assertions. */
export function iso(dates: readonly Date[]): string[] {
  return dates.map((date) => date.toISOString());
}

/** A promise with its resolve/reject exposed. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
