/**
 * AndTrigger and OrTrigger: schedules made of other schedules.
 *
 * - And: "every 90 minutes, but only during business hours on weekdays". No single cron
 *   expression can say "every 90 minutes" (it is a step of neither the minute nor the hour
 *   field), so an IntervalTrigger grid is combined with a cron trigger for the business hours.
 * - Or: "weekdays at 09:00, weekends at 11:00, and on the 1st of the month at 09:00". On a
 *   weekday 1st, two children produce 09:00: the job fires once.
 * - And of two schedules that never agree: MaxIterationsError instead of a hanging search.
 *
 * Run:  npx tsx examples/combined-triggers.ts
 * See:  the triggers as the scheduler stores them (children without a zone took the scheduler's),
 *       their next fire times in New York time, and the error. Runs instantly (`nextFireTimes`
 *       previews, a scheduler that is never started).
 *
 * (An application imports from 'timetable' and 'timetable/testing'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { DateTime } from 'luxon';
import { AndTrigger, CronTrigger, IntervalTrigger, OrTrigger, Scheduler, nextFireTimes, type Trigger } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';

const NY = 'America/New_York';
const clock = new VirtualClock('2026-03-19T04:00:00Z'); // Thursday 2026-03-19, 00:00 EDT
const scheduler = new Scheduler({ clock, timezone: NY }); // never started: addJob still resolves the triggers

function preview(title: string, trigger: Trigger, from: string, count: number): void {
  console.log(`${title}\n  ${trigger}`);
  const times = nextFireTimes(trigger, count, new Date(from));
  for (const time of times) console.log(`  ${DateTime.fromJSDate(time, { zone: NY }).toFormat('ccc yyyy-MM-dd HH:mm')}`);
  console.log();
}

// And: the 90-minute grid from Monday 09:00 (09:00, 10:30, 12:00, 13:30, 15:00, 16:30, 18:00, ...;
// 16 steps make a day, so it repeats daily) AND weekday business hours, on the quarter hour.
// The cron child names no zone: added to the scheduler, it takes America/New_York. The interval
// names one because its start date string is read when it is constructed (in the host's zone if
// it had none); a JSON spec would be read in the scheduler's zone instead.
const businessHours = new CronTrigger({ dayOfWeek: 'mon-fri', hour: '9-16', minute: '*/15' });
const every90 = new IntervalTrigger({ minutes: 90, startDate: '2026-03-16T09:00', timezone: NY });
const and = await scheduler.addJob(() => undefined, new AndTrigger([businessHours, every90]));
preview('And: every 90 minutes during weekday business hours (Thursday, Friday, then Monday)', and.trigger, '2026-03-19T00:00:00-04:00', 14);

// Or: the earliest of the children; a time several children produce fires once.
const or = await scheduler.addJob(
  () => undefined,
  new OrTrigger([
    CronTrigger.fromCrontab('0 9 * * mon-fri'),
    CronTrigger.fromCrontab('0 11 * * sat,sun'),
    CronTrigger.fromCrontab('0 9 1 * *'), // on Wednesday 2026-04-01 it agrees with the weekday child
  ]),
);
preview('Or: weekdays 09:00, weekends 11:00, the 1st at 09:00 (Wed 04-01 fires once)', or.trigger, '2026-03-27T00:00:00-04:00', 8);

// As a JSON spec: the children are specs too (any registered type, nested and/or included).
console.log(`The Or as stored:\n  ${JSON.stringify(or.trigger.toJSON())}\n`);

// Children that never agree: the search gives up after maxIterations rounds (10,000 by default).
const never = new AndTrigger([new CronTrigger({ hour: 9, timezone: NY }), new CronTrigger({ hour: 10, timezone: NY })], { maxIterations: 100 });
try {
  never.getNextFireTime(null, new Date(clock.now()));
} catch (error) {
  const { code, maxIterations } = error as { code: string; maxIterations: number };
  console.log(`And of 09:00 daily and 10:00 daily: ${code} after ${maxIterations} iterations`);
}
