/**
 * Trigger descriptions in words, from a trigger's JSON spec: "every 10 seconds", "at 09:30 on
 * Monday to Friday, Europe/Berlin". What has no plain reading (a cron field with a stepped range,
 * a combined or custom trigger) keeps its technical description.
 *
 * @internal
 * @module
 */
import { DateTime } from 'luxon';
import type { AnyTriggerSpec } from '../index.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};
const UNITS = ['weeks', 'days', 'hours', 'minutes', 'seconds'] as const;
const CALENDAR_UNITS = ['years', 'months', 'weeks', 'days'] as const;

/** Cron fields as strings, and whether weekday numbers count from Sunday (crontab) or Monday. */
interface CronFields {
  second: string;
  minute: string;
  hour: string;
  day: string;
  month: string;
  dayOfWeek: string;
  sundayIsZero: boolean;
}

/** The spec in words, or `fallback` (the trigger's own description) when there is none. */
export function describeInWords(spec: AnyTriggerSpec | null, fallback: string): string {
  try {
    const words = spec === null ? null : describeSpec(spec);
    return words ?? fallback;
  } catch {
    return fallback;
  }
}

function describeSpec(spec: AnyTriggerSpec): string | null {
  const zone = typeof spec['timezone'] === 'string' ? `, ${spec['timezone']}` : '';
  switch (spec.type) {
    case 'interval': {
      const amount = amounts(spec, UNITS);
      return amount === null ? null : `every ${amount}${zone}`;
    }
    case 'calendarinterval': {
      const amount = amounts(spec, CALENDAR_UNITS);
      const time = clock(Number(spec['hour'] ?? 0), Number(spec['minute'] ?? 0), Number(spec['second'] ?? 0));
      return amount === null || time === null ? null : `every ${amount} at ${time}${zone}`;
    }
    case 'date': {
      const at = typeof spec['runDate'] === 'string' ? DateTime.fromISO(spec['runDate'], { setZone: true }) : null;
      if (at === null || !at.isValid) return null;
      const local = typeof spec['timezone'] === 'string' ? at.setZone(spec['timezone']) : at;
      // Without a zone of its own the instant is said with its offset.
      const where = zone || (local.offset === 0 ? ' UTC' : ` ${local.toFormat('ZZ')}`);
      return `once, on ${local.toFormat('yyyy-MM-dd')} at ${local.toFormat(local.second ? 'HH:mm:ss' : 'HH:mm')}${where}`;
    }
    case 'cron': {
      const fields = cronFields(spec);
      const words = fields === null ? null : describeCron(fields);
      return words === null ? null : `${words}${zone}`;
    }
    default:
      return null;
  }
}

/** "10 seconds", "1 hour 30 minutes", "week": the units of `spec` that are set. */
function amounts(spec: AnyTriggerSpec, units: readonly string[]): string | null {
  const parts: string[] = [];
  for (const unit of units) {
    const value = spec[unit];
    if (value === undefined || value === 0) continue;
    if (typeof value !== 'number' || !(value > 0)) return null;
    parts.push(value === 1 ? `1 ${unit.slice(0, -1)}` : `${value} ${unit}`);
  }
  if (parts.length === 0) return null;
  // "every 1 hour" reads better as "every hour".
  return parts.length === 1 && parts[0]?.startsWith('1 ') ? (parts[0] as string).slice(2) : parts.join(' ');
}

function cronFields(spec: AnyTriggerSpec): CronFields | null {
  if (typeof spec['expression'] === 'string') {
    const text = spec['expression'].trim().toLowerCase();
    const parts = (NICKNAMES[text] ?? text).split(/\s+/);
    if (parts.length === 5) parts.unshift('0');
    if (parts.length !== 6) return null;
    const [second, minute, hour, day, month, dayOfWeek] = parts as [string, string, string, string, string, string];
    return { second, minute, hour, day, month, dayOfWeek, sundayIsZero: true };
  }
  if (spec['week'] !== undefined || spec['year'] !== undefined) return null;
  // The field form: fields below the finest one given default to their minimum, the rest to *.
  const order = ['second', 'minute', 'hour', 'day', 'month', 'dayOfWeek'] as const;
  const given = (name: string): string | undefined => (spec[name] === undefined ? undefined : String(spec[name]).toLowerCase());
  const finest = order.findIndex((name) => given(name) !== undefined);
  const value = (name: (typeof order)[number], index: number, min: string): string =>
    given(name) ?? (index < finest ? min : '*');
  return {
    second: value('second', 0, '0'),
    minute: value('minute', 1, '0'),
    hour: value('hour', 2, '0'),
    day: value('day', 3, '*'),
    month: value('month', 4, '*'),
    dayOfWeek: value('dayOfWeek', 5, '*'),
    sundayIsZero: false,
  };
}

const isNumber = (field: string): boolean => /^\d+$/.test(field);

function describeCron(f: CronFields): string | null {
  const time = cronTime(f);
  if (time === null) return null;
  const days = cronDays(f);
  if (days === null) return null;
  const month = f.month === '*' ? '' : monthWords(f.month);
  if (month === null) return null;
  const everyDay = days === '' && time.startsWith('at ') ? ' every day' : '';
  return `${time}${days ? ` ${days}` : everyDay}${month ? ` ${month}` : ''}`;
}

function cronTime({ second, minute, hour }: CronFields): string | null {
  if ([second, minute, hour].every(isNumber)) return `at ${clock(Number(hour), Number(minute), Number(second))}`;
  const step = (field: string): number | null => (/^\*\/(\d+)$/.exec(field) ? Number(field.slice(2)) : null);
  if (hour === '*' && minute === '*' && second === '*') return 'every second';
  if (hour === '*' && minute === '*' && step(second) !== null) return `every ${step(second)} seconds`;
  if (hour === '*' && minute === '*' && second === '0') return 'every minute';
  if (hour === '*' && step(minute) !== null && second === '0') return `every ${step(minute)} minutes`;
  if (hour === '*' && isNumber(minute) && second === '0') return minute === '0' ? 'every hour' : `every hour at :${pad(Number(minute))}`;
  if (step(hour) !== null && isNumber(minute) && second === '0') return `every ${step(hour)} hours at :${pad(Number(minute))}`;
  const range = /^(\d+)-(\d+)$/.exec(hour);
  if (range && isNumber(minute) && second === '0') {
    return `every hour from ${clock(Number(range[1]), Number(minute), 0)} to ${clock(Number(range[2]), Number(minute), 0)}`;
  }
  return null;
}

function cronDays({ day, dayOfWeek, sundayIsZero }: CronFields): string | null {
  if (day === '*' && dayOfWeek === '*') return '';
  if (day !== '*' && dayOfWeek !== '*') return null; // crontab's OR of the two, or an AND in the field form
  if (day === 'l' || day === 'last') return 'on the last day of the month';
  if (day !== '*') return isNumber(day) ? `on day ${Number(day)} of the month` : null;
  const names = listWords(dayOfWeek, (token) => weekday(token, sundayIsZero));
  return names === null ? null : `on ${names}`;
}

function monthWords(field: string): string | null {
  const names = listWords(field, (token) => {
    const index = isNumber(token) ? Number(token) - 1 : MONTH_NAMES.indexOf(token);
    return MONTHS[index] ?? null;
  });
  return names === null ? null : `in ${names}`;
}

/** "Monday to Friday", "Monday, Wednesday and Friday"; `null` for steps or unknown tokens. */
function listWords(field: string, name: (token: string) => string | null): string | null {
  const items: string[] = [];
  for (const item of field.split(',')) {
    const [from, to, ...rest] = item.split('-');
    if (rest.length > 0 || from === undefined) return null;
    const a = name(from);
    const b = to === undefined ? null : name(to);
    if (a === null || (to !== undefined && b === null)) return null;
    const words = b === null ? a : `${a} to ${b}`;
    if (!items.includes(words)) items.push(words); // crontab's 0 and 7 are both Sunday
  }
  return items.length === 1 ? (items[0] as string) : `${items.slice(0, -1).join(', ')} and ${items.at(-1) as string}`;
}

function weekday(token: string, sundayIsZero: boolean): string | null {
  if (!isNumber(token)) return DAYS[DAY_NAMES.indexOf(token.slice(0, 3))] ?? null;
  const n = Number(token);
  // crontab: 0 and 7 are Sunday; the field form (APScheduler's): 0 is Monday.
  return (sundayIsZero ? DAYS[n % 7] : DAYS[(n + 1) % 7]) ?? null;
}

function clock(hour: number, minute: number, second: number): string | null {
  if (![hour, minute, second].every(Number.isInteger)) return null;
  return `${pad(hour)}:${pad(minute)}${second ? `:${pad(second)}` : ''}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');
