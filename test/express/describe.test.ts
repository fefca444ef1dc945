// Trigger descriptions in words, from specs; anything without a plain reading keeps its own text.
import { describe, expect, it } from 'vitest';
import { describeInWords } from '../../src/express/describe.js';
import { CalendarIntervalTrigger, CronTrigger, DateTrigger, IntervalTrigger, OrTrigger } from '../../src/index.js';
import type { AnyTriggerSpec } from '../../src/index.js';

const words = (spec: AnyTriggerSpec): string => describeInWords(spec, 'FALLBACK');

describe('trigger descriptions in words', () => {
  it.each<[AnyTriggerSpec, string]>([
    [{ type: 'interval', seconds: 10 }, 'every 10 seconds'],
    [{ type: 'interval', hours: 1 }, 'every hour'],
    [{ type: 'interval', hours: 1, minutes: 30, timezone: 'UTC' }, 'every 1 hour 30 minutes, UTC'],
    [{ type: 'interval', weeks: 2 }, 'every 2 weeks'],
    [{ type: 'calendarinterval', months: 1, hour: 8, timezone: 'Europe/Berlin' }, 'every month at 08:00, Europe/Berlin'],
    [{ type: 'calendarinterval', weeks: 2, hour: 8, minute: 15 }, 'every 2 weeks at 08:15'],
    [{ type: 'date', runDate: '2026-12-31T23:00:00.000Z' }, 'once, on 2026-12-31 at 23:00 UTC'],
    [{ type: 'date', runDate: '2027-01-01T09:00:00+01:00', timezone: 'Europe/Berlin' }, 'once, on 2027-01-01 at 09:00, Europe/Berlin'],
    [{ type: 'cron', expression: '30 9 * * 1-5', timezone: 'Europe/Berlin' }, 'at 09:30 on Monday to Friday, Europe/Berlin'],
    [{ type: 'cron', expression: '0 0 * * *' }, 'at 00:00 every day'],
    [{ type: 'cron', expression: '@weekly' }, 'at 00:00 on Sunday'],
    [{ type: 'cron', expression: '@hourly' }, 'every hour'],
    [{ type: 'cron', expression: '*/15 * * * *' }, 'every 15 minutes'],
    [{ type: 'cron', expression: '*/5 * * * * *' }, 'every 5 seconds'],
    [{ type: 'cron', expression: '* * * * *' }, 'every minute'],
    [{ type: 'cron', expression: '0 9-17 * * mon,wed,fri' }, 'every hour from 09:00 to 17:00 on Monday, Wednesday and Friday'],
    [{ type: 'cron', expression: '0 12 1 * *' }, 'at 12:00 on day 1 of the month'],
    [{ type: 'cron', expression: '0 6 L * *' }, 'at 06:00 on the last day of the month'],
    [{ type: 'cron', expression: '0 0 1 1 *' }, 'at 00:00 on day 1 of the month in January'],
    [{ type: 'cron', expression: '15 10 * * 0,7' }, 'at 10:15 on Sunday'],
    // The field form: APScheduler's weekday numbers (0 is Monday), finer fields default to 0.
    [{ type: 'cron', dayOfWeek: 'mon-fri', hour: '9' }, 'at 09:00 on Monday to Friday'],
    [{ type: 'cron', dayOfWeek: '0', hour: 7, minute: 5 }, 'at 07:05 on Monday'],
    [{ type: 'cron', minute: '*/10' }, 'every 10 minutes'],
  ])('%j -> %s', (spec, expected) => {
    expect(words(spec)).toBe(expected);
  });

  it.each<[AnyTriggerSpec]>([
    [{ type: 'cron', expression: '0 0 9-17/2 * * 1-5' }],
    [{ type: 'cron', expression: '0 0 13 * 5' }], // crontab's OR of day and weekday
    [{ type: 'cron', dayOfWeek: 'last fri', hour: 9 }],
    [{ type: 'cron', week: 1, hour: 9 }],
    [{ type: 'or', triggers: [] }],
    [{ type: 'my-custom', every: 'full moon' }],
  ])('keeps the technical description for %j', (spec) => {
    expect(words(spec)).toBe('FALLBACK');
  });

  it('reads the specs the built-in triggers write', () => {
    const monthly = new CalendarIntervalTrigger({ months: 1, hour: 8, timezone: 'Europe/Berlin' });
    expect(describeInWords(monthly.toJSON(), 'x')).toBe('every month at 08:00, Europe/Berlin');
    const weekdays = new CronTrigger({ dayOfWeek: 'mon-fri', hour: 9, timezone: 'UTC' });
    expect(describeInWords(weekdays.toJSON(), 'x')).toBe('at 09:00 on Monday to Friday, UTC');
    const once = new DateTrigger('2027-01-01T09:00:00', { timezone: 'Europe/Berlin' });
    expect(describeInWords(once.toJSON(), 'x')).toBe('once, on 2027-01-01 at 09:00, Europe/Berlin');
    expect(describeInWords(new IntervalTrigger({ minutes: 5, timezone: 'UTC' }).toJSON(), 'x')).toBe('every 5 minutes, UTC');
    expect(describeInWords(CronTrigger.fromCrontab('30 9 * * 1-5', { timezone: 'America/New_York' }).toJSON(), 'x')).toBe(
      'at 09:30 on Monday to Friday, America/New_York',
    );
    const or = new OrTrigger([new IntervalTrigger({ minutes: 5 }), new IntervalTrigger({ minutes: 7 })]);
    expect(describeInWords(or.toJSON(), String(or))).toBe(String(or));
  });
});
