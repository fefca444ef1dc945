/**
 * Fast UTC-offset lookups for one IANA zone, from tables of its transitions read lazily from
 * `Intl` (see `year-grid.ts`). An `Intl` offset lookup costs microseconds; cron triggers need
 * several per fire time, so they use these tables instead, and mostly not even those: the
 * stretch of constant offset found last answers the next lookups with two comparisons.
 *
 * @internal
 * @module
 */
import { DAY_MS, YearGrid, yearStart, type Stretch } from './year-grid.js';

const MIN_YEAR = 1969;
const MAX_YEAR = 10_000;
/**
 * Years kept per zone; a scheduler moves forward, so old years are rarely needed again. A year
 * holds a few numbers (see `YearGrid`), about 350 bytes with its entry, so the tables stay under
 * ~700 KB even for a schedule that walks through the years (every 29 February up to 9999 is
 * 1,994 of them; fewer years kept would read each one from `Intl` again on every pass).
 */
const MAX_CACHED_YEARS = 2048;

const NO_STRETCH: Stretch = { start: 0, end: 0, offset: 0, exact: false };

/** UTC offsets (in ms) of one zone at any instant, and conversions between instants and wall times. */
export class ZoneOffsets {
  /**
   * Made on the first lookup: a trigger that is built and never asked (one a scheduler replaces
   * by its shared equal) never pays for it (hundreds of microseconds).
   */
  #format: Intl.DateTimeFormat | null = null;
  /** The years looked at, and how the grids sample the zone; both made on the first lookup too. */
  #years: Map<number, YearGrid> | null = null;
  #sample: ((instant: number) => number) | null = null;
  /** The stretch found last: successive lookups of a trigger mostly fall inside it. */
  #hint: Stretch = NO_STRETCH;

  /** @param name - a valid IANA zone name */
  constructor(readonly name: string) {}

  /**
   * Only the day of the month and the time: the local date is within a day of the UTC date, so
   * the day number settles which one it is. Formatting fewer fields, and reading the digits
   * without a regex, halves the cost of a lookup (about 2 µs instead of 4).
   */
  #formatter(): Intl.DateTimeFormat {
    this.#format ??= new Intl.DateTimeFormat('en-US', {
      timeZone: this.name,
      hourCycle: 'h23',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    return this.#format;
  }

  /** The offset at `instant`: wall time = instant + offset. */
  offsetAt(instant: number): number {
    const hint = this.#hint;
    return instant >= hint.start && instant < hint.end ? hint.offset : this.#locate(instant, false).offset;
  }

  /** The wall time (zone-local fields encoded as if UTC) at `instant`. */
  toWall(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * The stretch of constant offset containing `instant`. Its `end` is the next transition or,
   * at the latest, the end of the instant's year (callers continue from there).
   */
  segmentAt(instant: number): { start: number; end: number; offset: number } {
    const hint = this.#hint;
    return hint.exact && instant >= hint.start && instant < hint.end ? hint : this.#locate(instant, true);
  }

  /**
   * The earliest instant whose wall time is at or after `wall`: the instant of `wall` itself,
   * its first occurrence in a fall-back overlap, or the end of a spring-forward gap it falls in.
   */
  firstInstantAtOrAfter(wall: number): number {
    // The usual case: one offset for a day either side, so `wall` occurs once, at wall - offset
    // (what the general reading below returns then, without its lookups).
    const hint = this.#hint;
    if (wall - DAY_MS >= hint.start && wall + DAY_MS < hint.end) return wall - hint.offset;
    // Candidates: the wall time read with the offsets around it; a day covers any transition.
    const before = this.offsetAt(wall - DAY_MS);
    const after = this.offsetAt(wall + DAY_MS);
    const early = wall - Math.max(before, after);
    const late = wall - Math.min(before, after);
    if (this.toWall(early) === wall) return early;
    if (this.toWall(late) === wall) return late;
    // In a gap: `late` (read with the old offset) lies just after the transition, which starts
    // its segment and is the first instant after the gap.
    return this.segmentAt(late).start;
  }

  /**
   * The largest wall time shown strictly before `instant` (the wall clock's high-water mark).
   * Equals `toWall(instant - 1)` except in the second pass through a fall-back overlap, where the
   * wall clock already showed later times during the first pass.
   */
  highWaterBefore(instant: number): number {
    const last = instant - 1;
    const hint = this.#hint;
    const stretch = last >= hint.start && last < hint.end ? hint : this.#locate(last, false);
    const high = last + stretch.offset;
    // Offsets lie within a day of 0, so they differ by less than two days: a fall back more
    // than two days before `instant` left no wall time the clock has not passed again since.
    if (instant - stretch.start >= 2 * DAY_MS) return high;
    const segment = stretch.exact ? stretch : this.#locate(last, true);
    // Not through the hint: the next lookups are near `instant`, not before the segment.
    const previous = this.#stretch(segment.start - 1, false).offset;
    return previous > segment.offset ? Math.max(high, segment.start - 1 + previous) : high;
  }

  #locate(instant: number, exact: boolean): Stretch {
    this.#hint = this.#stretch(instant, exact);
    return this.#hint;
  }

  /** The stretch containing `instant` (see `YearGrid.stretchAt`), without moving the hint. */
  #stretch(instant: number, exact: boolean): Stretch {
    this.#sample ??= (at: number): number => this.#intlOffset(at);
    return this.#gridOf(yearOf(instant)).stretchAt(instant, exact, this.#sample);
  }

  #gridOf(year: number): YearGrid {
    const years = (this.#years ??= new Map());
    let grid = years.get(year);
    if (!grid) {
      if (years.size >= MAX_CACHED_YEARS) years.delete(years.keys().next().value as number);
      grid = new YearGrid(year);
      years.set(year, grid);
    }
    return grid;
  }

  /** The offset from `Intl`: the zone's wall time minus the instant (whole seconds), in ms. */
  #intlOffset(instant: number): number {
    const text = this.#formatter().format(instant);
    // "day, hh:mm:ss": the day of the month, then the time, read as seconds into the day.
    let localDay = 0;
    let seconds = 0;
    let count = 0;
    let value = -1; // the number being read, -1 between numbers
    for (let i = 0; i <= text.length; i++) {
      const digit = i < text.length ? text.charCodeAt(i) - 48 : -1;
      if (digit >= 0 && digit <= 9) value = (value < 0 ? 0 : value * 10) + digit;
      else if (value >= 0) {
        if (count === 0) localDay = value;
        else seconds = seconds * 60 + value;
        count++;
        value = -1;
      }
    }
    if (count !== 4) throw new RangeError(`Cannot read the time in ${this.name} at ${instant}: ${text}`);
    const utc = Math.floor(instant / 1000) * 1000;
    const utcMidnight = Math.floor(utc / DAY_MS) * DAY_MS;
    const local = seconds * 1000;
    // Offsets are under a day, so the local date is the UTC date or a neighbour: the next day
    // when the local time of day is the earlier one, the day before when it is the later one.
    const days = localDay === new Date(utc).getUTCDate() ? 0 : local < utc - utcMidnight ? 1 : -1;
    return utcMidnight + days * DAY_MS + local - utc;
  }
}

/** The UTC year of an instant, clamped to the years the tables cover. */
function yearOf(instant: number): number {
  if (!(instant >= yearStart(MIN_YEAR))) return MIN_YEAR;
  if (!(instant < yearStart(MAX_YEAR))) return MAX_YEAR;
  // An estimate from the mean Gregorian year, off by at most one.
  const year = 1970 + Math.floor(instant / (365.2425 * DAY_MS));
  if (instant < yearStart(year)) return year - 1;
  return instant < yearStart(year + 1) ? year : year + 1;
}
