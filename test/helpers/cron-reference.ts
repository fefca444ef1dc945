/**
 * An independent, deliberately slow reference for the cron trigger, written from SPEC §3.3 and
 * not from `src/triggers/cron`. It shares no code with the implementation: field matching is
 * re-implemented here, calendar facts come from `Date`'s UTC getters and luxon, and zone offsets
 * from luxon (`Intl`).
 *
 * The rule it applies, walking real instants forward:
 *
 * - elapsed-time specs (hour `*` or a single step term): an instant fires iff its local wall
 *   time matches the fields;
 * - fixed-time specs (any other hour field): an instant fires iff it is the first instant at
 *   which the local wall clock reaches or passes a matching wall time that the clock had not
 *   shown before. That one sentence gives "gap -> first instant after the gap", "overlap ->
 *   first occurrence only" and "a local time never fires twice".
 *
 * Wall times are handled as "wall milliseconds": the local fields encoded as if they were UTC
 * (`instant + offset`).
 *
 * Speed-ups, each keeping the walk exact:
 * - From a visited instant the walk jumps to the next wall time at which something *could* match
 *   (next year, month, day, hour, minute or allowed second); every wall time skipped lies in the
 *   same year/month/day/hour/minute as the visited one, whose field does not match, so none of
 *   them matches.
 * - The jump assumes a constant offset; when the offset changes inside the jumped stretch the
 *   walk visits the transition instant instead (found by bisection on luxon offsets). Jumps are
 *   at most a week long, and no zone used by the tests has two transitions within a week (nor
 *   within the 3 h look-back of `refHighWaterBefore`), so a jump never hides a pair of them.
 */
import { DateTime, IANAZone } from 'luxon';

export const REF_FIELDS = ['year', 'month', 'day', 'week', 'dayOfWeek', 'hour', 'minute', 'second'] as const;
export type RefField = (typeof REF_FIELDS)[number];
/** The field form of a cron trigger, as given to `new CronTrigger(...)` (fields only). */
export type RefSpec = Partial<Record<RefField, string | number>>;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const LIMITS: Record<RefField, [number, number]> = {
  year: [1970, 9999],
  month: [1, 12],
  day: [1, 31],
  week: [1, 53],
  dayOfWeek: [0, 7],
  hour: [0, 23],
  minute: [0, 59],
  second: [0, 59],
};
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Sunday first so that the index is the crontab number (0 = Sunday).
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ORDINALS: Record<string, number> = { '1st': 1, '2nd': 2, '3rd': 3, '4th': 4, '5th': 5 };

/** A spec compiled by the reference: predicates per field, and the DST mode. */
export interface RefCompiled {
  readonly exprs: Record<RefField, string>;
  /** `true` for hour `*` or a single step term (follows real time), `false` for fixed-time. */
  readonly elapsed: boolean;
  readonly years: ReadonlySet<number> | null;
  readonly months: ReadonlySet<number>;
  readonly dayMatches: (year: number, month: number, day: number) => boolean;
  readonly weeks: ReadonlySet<number> | null;
  readonly weekdays: ReadonlySet<number> | null; // 0 = Sunday .. 6
  /** Crontab strings (Vixie cron): day of month OR day of week, when both are restricted. */
  readonly dayOr: boolean;
  readonly hours: ReadonlySet<number>;
  readonly minutes: ReadonlySet<number>;
  readonly seconds: ReadonlySet<number>;
}

/** The field-defaults rule of SPEC §3.3. */
export function refDefaults(spec: RefSpec): Record<RefField, string> {
  let last = -1;
  REF_FIELDS.forEach((f, i) => {
    if (spec[f] !== undefined) last = i;
  });
  const out = {} as Record<RefField, string>;
  REF_FIELDS.forEach((f, i) => {
    const given = spec[f];
    if (given !== undefined) out[f] = String(given).trim();
    else if (i < last || last === -1 || f === 'week' || f === 'dayOfWeek') out[f] = '*';
    else out[f] = String(LIMITS[f][0]);
  });
  return out;
}

function parseValue(field: RefField, text: string): number {
  const t = text.trim().toLowerCase();
  if (/^\d+$/.test(t)) return Number(t);
  if (field === 'month' && MONTH_NAMES.includes(t)) return MONTH_NAMES.indexOf(t) + 1;
  if (field === 'dayOfWeek' && WEEKDAY_NAMES.includes(t)) return WEEKDAY_NAMES.indexOf(t);
  throw new Error(`reference: cannot read ${JSON.stringify(text)} in ${field}`);
}

/** All values of one term (`*`, `*\/n`, `a`, `a-b`, `a-b/n`, `a/n`). Weekday 7 is reported as 0. */
function termValues(field: RefField, term: string): number[] {
  const [min, max] = LIMITS[field];
  let base = term;
  let step = 1;
  const slash = term.indexOf('/');
  if (slash !== -1) {
    base = term.slice(0, slash);
    step = Number(term.slice(slash + 1));
    if (!Number.isInteger(step) || step < 1) throw new Error(`reference: bad step in ${term}`);
  }
  let lo: number;
  let hi: number;
  if (base === '*') [lo, hi] = [min, max];
  else if (base.includes('-')) {
    const [a, b] = base.split('-');
    lo = parseValue(field, a!);
    hi = parseValue(field, b!);
  } else {
    lo = parseValue(field, base);
    hi = slash === -1 ? lo : max;
  }
  if (lo < min || hi > max || lo > max || hi < min) throw new Error(`reference: ${term} out of range in ${field}`);
  const out: number[] = [];
  if (lo > hi) {
    if (field !== 'dayOfWeek') throw new Error(`reference: backwards range ${term}`);
    // fri-mon: Fri, Sat, Sun, Mon — count on past Saturday into next week.
    for (let v = lo; v <= hi + 7; v += step) out.push(v % 7);
    return out;
  }
  for (let v = lo; v <= hi; v += step) out.push(field === 'dayOfWeek' ? v % 7 : v);
  return out;
}

function valueSet(field: RefField, expr: string): Set<number> {
  const set = new Set<number>();
  for (const term of expr.split(',')) for (const v of termValues(field, term.trim().toLowerCase())) set.add(v);
  return set;
}

/** Days in a month, from `Date` (day 0 of the next month). */
export function refDaysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Weekday, 0 = Sunday. */
function refWeekday(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

function dayPredicate(expr: string): (year: number, month: number, day: number) => boolean {
  if (expr === '*') return () => true;
  const preds: ((y: number, m: number, d: number) => boolean)[] = [];
  for (const raw of expr.split(',')) {
    const term = raw.trim().toLowerCase().replace(/\s+/g, ' ');
    if (term === 'last') {
      preds.push((y, m, d) => d === refDaysInMonth(y, m));
      continue;
    }
    const special = /^(last|1st|2nd|3rd|4th|5th) ([a-z]{3})$/.exec(term);
    if (special) {
      const wd = WEEKDAY_NAMES.indexOf(special[2]!);
      if (wd === -1) throw new Error(`reference: bad weekday in ${term}`);
      if (special[1] === 'last') {
        // the last such weekday: the same weekday a week later is in the next month
        preds.push((y, m, d) => refWeekday(y, m, d) === wd && d + 7 > refDaysInMonth(y, m));
      } else {
        const nth = ORDINALS[special[1]!]!;
        // the n-th such weekday: exactly n-1 of them earlier in the month
        preds.push((y, m, d) => refWeekday(y, m, d) === wd && Math.floor((d - 1) / 7) + 1 === nth);
      }
      continue;
    }
    const days = valueSet('day', term);
    preds.push((_y, _m, d) => days.has(d));
  }
  return (y, m, d) => preds.some((p) => p(y, m, d));
}

/**
 * Compiles a field-form spec with the reference's own parser. `dayOr` gives the crontab rule:
 * when both `day` and `dayOfWeek` are restricted, a date matching either of them matches (the
 * caller decides what "restricted" means; Vixie cron treats a field starting with `*` as not).
 */
export function refCompile(spec: RefSpec, { dayOr = false }: { dayOr?: boolean } = {}): RefCompiled {
  const exprs = refDefaults(spec);
  const hour = exprs.hour.toLowerCase();
  const elapsed = hour === '*' || (!hour.includes(',') && hour.includes('/'));
  return {
    exprs,
    elapsed,
    years: exprs.year === '*' ? null : valueSet('year', exprs.year),
    months: valueSet('month', exprs.month),
    dayMatches: dayPredicate(exprs.day),
    weeks: exprs.week === '*' ? null : valueSet('week', exprs.week),
    weekdays: exprs.dayOfWeek === '*' ? null : valueSet('dayOfWeek', exprs.dayOfWeek),
    dayOr: dayOr && exprs.day !== '*' && exprs.dayOfWeek !== '*',
    hours: valueSet('hour', exprs.hour),
    minutes: valueSet('minute', exprs.minute),
    seconds: valueSet('second', exprs.second),
  };
}

interface Civil {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function civil(wall: number): Civil {
  const d = new Date(wall);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

function dateMatches(c: RefCompiled, year: number, month: number, day: number): boolean {
  if (c.years !== null && !c.years.has(year)) return false;
  if (!c.months.has(month)) return false;
  const dayOk = c.dayMatches(year, month, day);
  const weekdayOk = c.weekdays === null || c.weekdays.has(refWeekday(year, month, day));
  if (c.dayOr ? !(dayOk || weekdayOk) : !(dayOk && weekdayOk)) return false;
  if (c.weeks !== null && !c.weeks.has(DateTime.utc(year, month, day).weekNumber)) return false;
  return true;
}

/** Does a whole-second wall time match every field? */
export function refWallMatches(c: RefCompiled, wall: number): boolean {
  if (wall % SECOND !== 0) return false;
  const f = civil(wall);
  return (
    dateMatches(c, f.year, f.month, f.day) && c.hours.has(f.hour) && c.minutes.has(f.minute) && c.seconds.has(f.second)
  );
}

/**
 * The next wall time after `wall` at which something may match, such that no wall time strictly
 * between the two matches.
 */
function nextInterestingWall(c: RefCompiled, wall: number): number {
  const f = civil(wall);
  const at = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0) => Date.UTC(y, mo - 1, d, h, mi, s);
  if (c.years !== null && !c.years.has(f.year)) return at(f.year + 1, 1, 1);
  if (!c.months.has(f.month)) return at(f.year, f.month + 1, 1);
  if (!dateMatches(c, f.year, f.month, f.day)) return at(f.year, f.month, f.day + 1);
  if (!c.hours.has(f.hour)) return at(f.year, f.month, f.day, f.hour + 1);
  if (!c.minutes.has(f.minute)) return at(f.year, f.month, f.day, f.hour, f.minute + 1);
  const base = Math.floor(wall / SECOND) * SECOND;
  for (let s = f.second + 1; s < 60; s++) if (c.seconds.has(s)) return base + (s - f.second) * SECOND;
  return at(f.year, f.month, f.day, f.hour, f.minute + 1);
}

/** Offset of `zone` at `instant`, in ms (from luxon). */
function offsetMs(zone: IANAZone, instant: number): number {
  return zone.offset(instant) * MINUTE;
}

/** The wall time at `instant`, via `DateTime.fromMillis(t, { zone })`. */
export function refWallAt(zone: string, instant: number): number {
  const dt = DateTime.fromMillis(instant, { zone });
  return instant + dt.offset * MINUTE;
}

/**
 * The first instant in `(a, b)` whose offset differs from the offset at `a`, or `undefined`.
 * Assumes at most one transition in the stretch.
 */
function transitionIn(zone: IANAZone, a: number, b: number, offsetA: number): number | undefined {
  if (b - a <= 1 || offsetMs(zone, b - 1) === offsetA) return undefined;
  let lo = a;
  let hi = b - 1;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === offsetA) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * The supremum of the wall times the clock showed strictly before `instant`: `wall(instant) - 1ms`
 * except during the second pass through a fall-back overlap, where the first pass showed later
 * wall times. Overlaps are shorter than 3 h in every zone the tests use.
 */
export function refHighWaterBefore(zone: string, instant: number): number {
  const z = IANAZone.create(zone);
  const now = offsetMs(z, instant - 1);
  let high = instant - 1 + now;
  const lookBack = instant - 3 * HOUR;
  const early = offsetMs(z, lookBack);
  const tr = transitionIn(z, lookBack, instant, early);
  if (tr !== undefined) high = Math.max(high, tr - 1 + early);
  return high;
}

export interface RefOptions {
  /** The previous fire time: search strictly after it (then `from` is ignored). */
  previous?: number | null;
  startDate?: number | null;
  endDate?: number | null;
  /** How far to walk (real time) before giving up. Default 2 years. */
  boundMs?: number;
}

/**
 * The reference's next fire time: the first fire instant at or after `from` (or strictly after
 * `previous`), clamped by `startDate`; `null` when it is after `endDate`; `undefined` when the
 * walk found none within the bound.
 */
export function referenceNext(spec: RefSpec | RefCompiled, zone: string, from: number, options: RefOptions = {}): number | null | undefined {
  const c = 'elapsed' in spec && 'exprs' in spec ? (spec as RefCompiled) : refCompile(spec as RefSpec);
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new Error(`reference: bad zone ${zone}`);
  let start = options.previous !== undefined && options.previous !== null ? options.previous + 1 : from;
  if (options.startDate !== undefined && options.startDate !== null && start < options.startDate) start = options.startDate;
  const bound = start + (options.boundMs ?? 2 * 366 * DAY);
  // Fire times are whole seconds (offsets and transitions are whole seconds in the test zones).
  let t = Math.ceil(start / SECOND) * SECOND;
  let high = refHighWaterBefore(zone, t);
  while (t <= bound) {
    const offset = offsetMs(z, t);
    const wall = t + offset;
    let fires = false;
    if (c.elapsed) fires = refWallMatches(c, wall);
    else {
      // Every whole-second wall time the clock reaches or passes now for the first time.
      for (let w = Math.floor(high / SECOND) * SECOND + SECOND; w <= wall && !fires; w += SECOND) {
        if (w > high) fires = refWallMatches(c, w);
      }
    }
    if (fires) {
      if (options.endDate !== undefined && options.endDate !== null && t > options.endDate) return null;
      return t;
    }
    if (options.endDate !== undefined && options.endDate !== null && t > options.endDate) return null;
    // At most a week at a time, so that a jumped stretch never holds two transitions.
    let next = t + Math.min(nextInterestingWall(c, wall) - wall, 7 * DAY);
    const tr = transitionIn(z, t, next, offset);
    if (tr !== undefined) next = tr;
    // The clock showed [wall, wall + (next - t)) since t, at a constant offset.
    high = Math.max(high, next - 1 + offset);
    t = next;
  }
  return undefined;
}

/** The next `count` reference fire times, starting at or after `from`. */
export function referenceSeries(spec: RefSpec, zone: string, from: number, count: number, options: RefOptions = {}): (number | null | undefined)[] {
  const c = refCompile(spec);
  const out: (number | null | undefined)[] = [];
  let previous: number | null = null;
  for (let i = 0; i < count; i++) {
    const next: number | null | undefined = referenceNext(c, zone, from, { ...options, previous });
    out.push(next);
    if (next === null || next === undefined) break;
    previous = next;
  }
  return out;
}

/** {@link refTransitions}, each zone and year worked out once by the function returned. */
export function cachedTransitions(): (zone: string, year: number) => number[] {
  const cache = new Map<string, number[]>();
  return (zone, year) => {
    const key = `${zone}@${year}`;
    let found = cache.get(key);
    if (!found) {
      found = refTransitions(zone, year);
      cache.set(key, found);
    }
    return found;
  };
}

/** The UTC-offset transitions of `zone` during `year` (first instant with the new offset). */
export function refTransitions(zone: string, year: number): number[] {
  const z = IANAZone.create(zone);
  const out: number[] = [];
  let t = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  let offset = offsetMs(z, t);
  while (t < end) {
    const next = Math.min(t + 6 * HOUR, end);
    const tr = transitionIn(z, t, next + 1, offset);
    if (tr !== undefined) {
      out.push(tr);
      offset = offsetMs(z, tr);
      t = tr;
    } else t = next;
  }
  return out;
}

/**
 * The rule with no shortcut at all, to check the walk above: every whole second from 3 h before
 * `from` (so that the clock's history is known) to `to`, keeping the running maximum of the wall
 * clock. Returns the fire instants in `[from, to)`. Slow: for windows of a few hours.
 */
export function naiveFires(spec: RefSpec, zone: string, from: number, to: number, { dayOr = false } = {}): number[] {
  const c = refCompile(spec, { dayOr });
  const out: number[] = [];
  let high = -Infinity;
  for (let t = Math.ceil((from - 3 * HOUR) / SECOND) * SECOND; t < to; t += SECOND) {
    const wall = refWallAt(zone, t);
    let fires = false;
    if (c.elapsed) fires = refWallMatches(c, wall);
    else if (high !== -Infinity) {
      for (let w = high + SECOND; w <= wall && !fires; w += SECOND) fires = refWallMatches(c, w);
    }
    if (fires && t >= from) out.push(t);
    high = Math.max(high, wall);
  }
  return out;
}
