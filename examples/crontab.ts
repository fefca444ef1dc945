/**
 * Crontab strings as triggers: passed straight to `addJob`, with the nicknames, `L` (last day of
 * the month), `5L` (last Friday), `1#2` (second Monday), six fields with seconds first, the Vixie
 * cron rule that makes `0 0 13 * fri` "every 13th OR every Friday", and the error a bad or
 * never-firing expression gives.
 *
 * Run:  npx tsx examples/crontab.ts
 * See:  each job's trigger and its next fire times in the scheduler's zone (Europe/London), the
 *       13th-or-Friday string next to the field form that means Friday the 13th, then three
 *       rejected expressions with their error code and field. Runs instantly: nothing waits, the
 *       scheduler is never started (addJob validates and computes the first run time anyway).
 *
 * (An application imports from 'timetable' and 'timetable/testing'; the examples import the
 * sources so that they run from a checkout without a build.)
 */
import { DateTime } from 'luxon';
import { CronTrigger, Scheduler, nextFireTimes, type Trigger } from '../src/index.js';
import { VirtualClock } from '../src/testing/index.js';

const ZONE = 'Europe/London';
const clock = new VirtualClock('2026-01-01T00:00:00Z'); // a Thursday
const scheduler = new Scheduler({ clock, timezone: ZONE });
const now = new Date(clock.now());

const show = (time: Date) => DateTime.fromJSDate(time, { zone: ZONE }).toFormat('ccc yyyy-MM-dd HH:mm:ss');
const times = (trigger: Trigger, count: number) => nextFireTimes(trigger, count, now).map(show).join(' | ');

const CRONTABS: [string, string][] = [
  ['*/15 9-17 * * 1-5', 'every 15 minutes, 09:00-17:45, Monday to Friday'],
  ['@daily', 'midnight (= 0 0 * * *)'],
  ['@weekly', 'Sunday midnight (= 0 0 * * 0)'],
  ['0 0 L * *', 'the last day of each month'],
  ['0 18 * * 5L', 'the last Friday of each month, 18:00'],
  ['0 10 * * 1#2', 'the second Monday of each month, 10:00'],
  ['30 */10 * * * *', 'six fields, seconds first: second 30 of every 10th minute'],
];

console.log(`Jobs added with a crontab string (scheduler zone ${ZONE}), next fire times from 2026-01-01:`);
for (const [expression, meaning] of CRONTABS) {
  const job = await scheduler.addJob(() => undefined, expression, { name: meaning });
  console.log(`  ${expression.padEnd(18)} ${meaning}\n  ${''.padEnd(18)} ${job.trigger}: ${times(job.trigger, 3)}`);
}

// Vixie cron: when both day fields are restricted, a day matching EITHER one fires. So this is
// every Friday and every 13th (Tuesday 2026-01-13 included), not Friday the 13th.
console.log('\nDay of month and day of week both restricted:');
console.log(`  crontab '0 0 13 * fri' (13th OR Friday): ${times(CronTrigger.fromCrontab('0 0 13 * fri', { timezone: ZONE }), 4)}`);
// The field form always requires every field: this is Friday the 13th.
console.log(`  { day: 13, dayOfWeek: 'fri' } (AND):       ${times(new CronTrigger({ day: 13, dayOfWeek: 'fri', timezone: ZONE }), 3)}`);

// Bad expressions throw InvalidTriggerError (code ERR_INVALID_TRIGGER) naming the field at fault;
// an expression that could never fire is refused when the trigger is built (field 'cron.expression').
console.log('\nRejected:');
for (const expression of ['0 0 31 2 *', '0 0 * * 8', '@reboot']) {
  try {
    await scheduler.addJob(() => undefined, expression);
  } catch (error) {
    const { code, field, message } = error as { code: string; field: string; message: string };
    console.log(`  ${JSON.stringify(expression).padEnd(14)} ${code} field=${field}\n  ${''.padEnd(14)} ${message}`);
  }
}
console.log(`\njobs added: ${(await scheduler.getJobs()).length}`);
