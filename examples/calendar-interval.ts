/**
 * CalendarIntervalTrigger: steps on the calendar (years, months, weeks, days) at a fixed local
 * time of day. A monthly job on the 31st skips the months that have no 31st; an every-2-weeks
 * job at 08:00 stays at 08:00 local time across both daylight-saving changes, where an
 * IntervalTrigger of 2 weeks (elapsed time) drifts to 09:00.
 *
 * Run:  npx tsx examples/calendar-interval.ts
 * See:  the fire times of each trigger in local time and UTC (from `nextFireTimes`, no
 *       waiting), and the same monthly job added to a scheduler as a JSON spec, whose start date
 *       is read in the scheduler's zone. Runs instantly.
 *
 * (An application imports from 'timetable' and 'timetable/testing'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { DateTime } from 'luxon';
import { CalendarIntervalTrigger, IntervalTrigger, Scheduler, type Trigger } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';

const NY = 'America/New_York';

function preview(title: string, trigger: Trigger & { nextFireTimes(count: number, from?: Date): Date[] }, zone: string, from: string, count: number): void {
  console.log(`${title}\n  ${trigger}`);
  for (const time of trigger.nextFireTimes(count, new Date(from))) {
    const local = DateTime.fromJSDate(time, { zone }).toFormat('ccc yyyy-MM-dd HH:mm ZZ');
    console.log(`  ${local}  (${time.toISOString().replace('.000Z', 'Z')})`);
  }
  console.log();
}

// Monthly on the 31st at 09:00: February, April, June, September and November have no 31st and
// are skipped; the day of the month is never moved to the 30th or the 1st.
const monthEnd = new CalendarIntervalTrigger({ months: 1, hour: 9, startDate: '2026-01-31', timezone: NY });
preview('Monthly on the 31st at 09:00 (months without a 31st are skipped)', monthEnd, NY, '2026-01-01T00:00:00Z', 8);

// Every 2 weeks on Mondays at 08:00 New York time. DST starts on 2026-03-08 and ends on 2026-11-01.
const fortnightly = new CalendarIntervalTrigger({ weeks: 2, hour: 8, startDate: '2026-02-23', timezone: NY });
preview('Every 2 weeks at 08:00 across the March change: 08:00 local every time, 13:00Z then 12:00Z', fortnightly, NY, '2026-02-01T00:00:00Z', 4);
preview('The same trigger across the November change: 12:00Z then 13:00Z', fortnightly, NY, '2026-10-10T00:00:00Z', 3);

// For comparison: an IntervalTrigger counts 14 × 24 h of elapsed time, so the local time moves.
const elapsed = new IntervalTrigger({ weeks: 2, startDate: '2026-02-23T08:00', timezone: NY });
preview('IntervalTrigger { weeks: 2 } for comparison: elapsed time, so 08:00 EST becomes 09:00 EDT', elapsed, NY, '2026-02-01T00:00:00Z', 3);

// As a JSON spec on a scheduler: the spec names no zone, so the start date and the time of day
// are read in the scheduler's (Europe/Berlin here), and the stored spec records it.
const clock = new VirtualClock('2026-01-01T00:00:00Z');
const scheduler = new Scheduler({ clock, timezone: 'Europe/Berlin' });
const job = await scheduler.addJob(() => undefined, { type: 'calendarinterval', months: 1, hour: 9, startDate: '2026-01-31' });
console.log(`As a JSON spec on a scheduler in ${scheduler.timezone}:\n  ${job.trigger}`);
console.log(`  stored spec: ${JSON.stringify(job.trigger.toJSON())}`);
console.log(`  first run:   ${job.nextRunTime?.toISOString()}`);
