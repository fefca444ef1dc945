/**
 * Cron jobs in a time zone, and what they do on the two daylight-saving nights of the year.
 *
 * A weekday 09:30 job in America/New_York keeps its local time when the clocks change (its UTC
 * time moves by an hour). A daily 02:30 job meets the spring-forward night, when 02:30 does not
 * exist (it fires once, at 03:00 EDT), and the fall-back night. A 01:30 job, whose time the
 * fall-back night shows twice, fires at the first 01:30 only, while an every-30-minutes job
 * (hour `*`: elapsed time) fires in both passes through the repeated hour.
 *
 * Run:  npx tsx examples/cron-timezone.ts
 * See:  the fire times of each trigger in New York time and in UTC (from `nextFireTimes`, no
 *       waiting), then the spring-forward weekend simulated on a VirtualClock: a scheduler whose
 *       zone is America/New_York runs both jobs at exactly those instants. Runs instantly.
 *
 * (An application imports from 'timetable' and 'timetable/testing'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { DateTime } from 'luxon';
import { CronTrigger, Scheduler } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';

const NY = 'America/New_York';

/** `Sun 2024-03-10 03:00 -04:00  (2024-03-10T07:00:00Z)`: New York time, then UTC. */
function both(time: Date): string {
  const local = DateTime.fromJSDate(time, { zone: NY }).toFormat('ccc yyyy-MM-dd HH:mm ZZ');
  return `${local}  (${time.toISOString().replace('.000Z', 'Z')})`;
}

function preview(title: string, trigger: CronTrigger, from: string, count: number): void {
  console.log(`${title}\n  ${trigger}  [dstMode: ${trigger.dstMode}]`);
  for (const time of trigger.nextFireTimes(count, new Date(from))) console.log(`  ${both(time)}`);
  console.log();
}

// Weekdays at 09:30 New York time. 2024-03-10 is the spring-forward Sunday (02:00 EST -> 03:00 EDT).
preview(
  'Weekdays at 09:30 in New York: the same local time before and after the change, one hour less in UTC',
  new CronTrigger({ dayOfWeek: 'mon-fri', hour: 9, minute: 30, timezone: NY }),
  '2024-03-07T00:00:00-05:00',
  4,
);

// Every day at 02:30. The crontab string means the same as { hour: 2, minute: 30 }.
const twoThirty = CronTrigger.fromCrontab('30 2 * * *', { timezone: NY });
preview(
  'Daily at 02:30, spring forward (2024-03-10): 02:30 does not exist, so it fires once, at 03:00 EDT',
  twoThirty,
  '2024-03-09T00:00:00-05:00',
  3,
);
preview(
  'Daily at 02:30, fall back (2024-11-03, 02:00 EDT -> 01:00 EST): 02:30 happens once, in EST',
  twoThirty,
  '2024-11-02T00:00:00-04:00',
  3,
);
preview(
  'Daily at 01:30, fall back: 01:30 happens twice that night; a fixed-time job fires at the first only',
  new CronTrigger({ hour: 1, minute: 30, timezone: NY }),
  '2024-11-02T12:00:00-04:00',
  2,
);
preview(
  'Every 30 minutes (hour *), fall back: elapsed time, so both passes through 01:xx fire',
  new CronTrigger({ minute: '*/30', timezone: NY }),
  '2024-11-03T00:30:00-04:00',
  6,
);

// The same two jobs on a scheduler, over the spring-forward weekend. The triggers have no zone
// of their own, so they take the scheduler's.
const clock = new VirtualClock('2024-03-08T05:00:00Z'); // Friday 00:00 EST
const scheduler = new Scheduler({ clock, timezone: NY, maxWait: 86_400 });
// Each run prints the virtual time it started at: exactly its slot.
const log = (name: string) => () => console.log(`  ran ${name.padEnd(12)} at ${both(new Date(clock.now()))}`);
const weekday = await scheduler.addJob(log('weekday 9:30'), new CronTrigger({ dayOfWeek: 'mon-fri', hour: 9, minute: 30 }));
await scheduler.addJob(log('daily 2:30'), '30 2 * * *');
console.log(`On a scheduler with timezone ${scheduler.timezone}, the zone-less trigger became\n  ${weekday.trigger}`);
await scheduler.start();
await clock.advanceTo('2024-03-12T04:00:00Z'); // Tuesday 00:00 EDT
await scheduler.shutdown();
