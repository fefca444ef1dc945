/**
 * node-schedule: `scheduleJob({ rule, tz })` per job (its cron strings go through its own
 * cron-parser 4). W2 uses its from-a-date API, `RecurrenceRule#nextInvocationDate`, with a rule
 * built from the crontab fields (it has no last-day-of-month). No intervals.
 */
import schedule from 'node-schedule';
import { unsupported } from './_shared.mjs';

export const info = { label: 'node-schedule', package: 'node-schedule' };

/** A crontab field as a RecurrenceRule value: null (any), a number, a Range or a list. */
function ruleField(text, max, shift = 0) {
  if (text === '*') return null;
  const items = text.split(',').map((item) => {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw unsupported(`RecurrenceRule cannot express '${item}'`);
    const [, , lo, hi, step] = match;
    const start = lo === undefined ? 0 : Number(lo) + shift;
    const end = lo === undefined ? max : hi === undefined ? (step ? max : start) : Number(hi) + shift;
    return start === end && !step ? start : new schedule.Range(start, end, Number(step ?? 1));
  });
  return items.length === 1 ? items[0] : items;
}

export function next(expression, timezone) {
  const [second, minute, hour, date, month, dayOfWeek] = expression.split(' ');
  const rule = new schedule.RecurrenceRule();
  Object.assign(rule, {
    second: ruleField(second, 59),
    minute: ruleField(minute, 59),
    hour: ruleField(hour, 23),
    date: ruleField(date, 31),
    month: ruleField(month, 11, -1),
    dayOfWeek: ruleField(dayOfWeek, 6),
    tz: timezone,
  });
  return (previous, from) => rule.nextInvocationDate(previous ?? new Date(from.getTime() - 1000));
}

export async function create() {
  return {
    add(n, spec, onFire) {
      if (spec.kind !== 'cron') throw unsupported('node-schedule has no interval jobs');
      for (let i = 0; i < n; i++) schedule.scheduleJob({ rule: spec.expr, tz: spec.timezone }, (fireDate) => onFire(i, fireDate.getTime()));
    },
    async shutdown() {
      await schedule.gracefulShutdown();
    },
  };
}
