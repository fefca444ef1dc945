/**
 * A custom trigger: "every weekday at a random minute of a given hour" — e.g. nightly backups
 * of many tenants spread over an hour instead of all starting at :00.
 *
 * It implements the Trigger contract (getNextFireTime / toJSON / toString), is registered with
 * `scheduler.registerTriggerType`, and a job is added with nothing but its JSON spec.
 *
 * Run:  npx tsx examples/custom-trigger.ts
 * See:  the trigger's toString() and JSON, its next fire times (Mon-Fri, 09:xx Berlin time, a
 *       different minute each day), then a simulated week on a VirtualClock in which the job
 *       runs exactly at those times, and an InvalidTriggerError for a bad spec. Runs instantly.
 *
 * (An application imports from 'timetable' and 'timetable/testing'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { DateTime } from 'luxon';
import {
  InvalidTriggerError,
  Scheduler,
  type JobContext,
  type Trigger,
  type TriggerDefaults,
  type AnyTriggerSpec,
} from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';

const TYPE = 'weekday-random-minute';

/** The trigger's JSON form. */
type WeekdayRandomMinuteSpec = { type: typeof TYPE; hour: number; timezone?: string; seed?: string };

// Tells the type checker about the new spec, so `addJob(task, { type: TYPE, ... })` is checked
// like a built-in one (an application writes `declare module 'timetable'`).
declare module '../src/index.js' {
  interface TriggerSpecMap {
    'weekday-random-minute': WeekdayRandomMinuteSpec;
  }
}

/** A small deterministic string hash (FNV-1a, then a final mix so similar dates differ a lot). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

class WeekdayRandomMinuteTrigger implements Trigger {
  constructor(
    readonly hour: number,
    readonly timezone: string,
    readonly seed: string,
  ) {
    // Validate here, so a bad spec fails at addJob() and not later inside the scheduling loop.
    if (!Number.isInteger(hour) || hour < 0 || hour > 23) {
      throw new InvalidTriggerError(`${TYPE}.hour`, hour, 'an integer from 0 to 23');
    }
    if (!DateTime.now().setZone(timezone).isValid) {
      throw new InvalidTriggerError(`${TYPE}.timezone`, timezone, 'an IANA time zone');
    }
  }

  /**
   * The contract requires a pure function: the same arguments must always give the same time
   * (the scheduler calls it again to enumerate missed runs, and after a restart). So the
   * "random" minute is a hash of the seed and the date, not Math.random().
   */
  getNextFireTime(previousFireTime: Date | null, now: Date): Date | null {
    // Strictly after the previous fire time; at or after now for the first one.
    const from = previousFireTime === null ? now.getTime() : previousFireTime.getTime() + 1;
    let day = DateTime.fromMillis(from, { zone: this.timezone }).startOf('day');
    for (let i = 0; i < 8; i++, day = day.plus({ days: 1 })) {
      if (day.weekday > 5) continue; // 6 = Saturday, 7 = Sunday
      const minute = hash(`${this.seed}:${day.toISODate()}`) % 60;
      const fire = day.set({ hour: this.hour, minute });
      if (fire.toMillis() >= from) return fire.toJSDate();
    }
    return null; // unreachable: a week always has a weekday. null would mean "finished".
  }

  /** What a store keeps; `fromJSON` must rebuild an equal trigger from it. */
  toJSON(): WeekdayRandomMinuteSpec {
    return { type: TYPE, hour: this.hour, timezone: this.timezone, seed: this.seed };
  }

  toString(): string {
    return `${TYPE}[Mon-Fri ${String(this.hour).padStart(2, '0')}:?? ${this.timezone}, seed=${this.seed}]`;
  }

  /**
   * The factory given to registerTriggerType. `defaults.timezone` is the scheduler's zone. The
   * spec comes from JSON (a request, a store): its fields are checked here, not trusted.
   */
  static fromJSON(spec: AnyTriggerSpec, defaults: TriggerDefaults): WeekdayRandomMinuteTrigger {
    const { hour, timezone = defaults.timezone, seed = '' } = spec;
    if (typeof timezone !== 'string') throw new InvalidTriggerError(`${TYPE}.timezone`, timezone, 'a string');
    if (typeof seed !== 'string') throw new InvalidTriggerError(`${TYPE}.seed`, seed, 'a string');
    return new WeekdayRandomMinuteTrigger(hour as number, timezone, seed);
  }
}

const ZONE = 'Europe/Berlin';
const local = (date: Date | null) =>
  date === null ? 'never' : DateTime.fromJSDate(date, { zone: ZONE }).toFormat('ccc yyyy-MM-dd HH:mm');

// A virtual clock lets us watch a whole week of runs without waiting for it. The scheduler
// looks at its stores at least every maxWait seconds; an hour keeps the simulated week cheap.
const clock = new VirtualClock('2026-03-02T00:00:00+01:00'); // a Monday, midnight in Berlin
const scheduler = new Scheduler({ clock, timezone: ZONE, maxWait: 3600 });
scheduler.registerTriggerType(TYPE, WeekdayRandomMinuteTrigger.fromJSON);

function backup(tenant: string, { scheduledRunTime }: JobContext): void {
  console.log(`  ran backup of ${tenant} at ${local(new Date(clock.now()))} (slot ${local(scheduledRunTime)})`);
}

// Just the JSON spec: the registry builds the trigger, filling in the scheduler's timezone.
const job = await scheduler.addJob(backup, { type: TYPE, hour: 9, seed: 'tenant-42' }, { args: ['tenant-42'] });
console.log(`trigger:  ${job.trigger.toString()}`);
console.log(`as JSON:  ${JSON.stringify(job.trigger.toJSON())}`);

console.log('next fire times:');
let next: Date | null = null;
for (let i = 0; i < 6; i++) {
  next = job.trigger.getNextFireTime(next, new Date(clock.now()));
  console.log(`  ${local(next)}`);
}

console.log('a simulated week:');
await scheduler.start();
await clock.advance(7 * 24 * 3600_000);
await scheduler.shutdown();

// Validation errors carry the field at fault, and a failed addJob changes nothing.
try {
  await scheduler.addJob(backup, { type: TYPE, hour: 25 });
} catch (error) {
  if (!(error instanceof InvalidTriggerError)) throw error;
  console.log(`bad spec rejected (${error.code}, field ${error.field}): ${error.message}`);
}
