/**
 * Fast UTC-offset lookups for one IANA zone, from tables of its transitions built lazily one
 * year at a time. An `Intl` offset lookup costs microseconds; cron triggers need several per fire
 * time, so they use these tables instead (a binary search over a handful of transitions).
 *
 * @internal
 * @module
 */

const DAY_MS = 86_400_000;
/**
 * Sampling step when looking for transitions: shorter than the time between any two of them
 * (the closest pairs in the IANA data since 1970, e.g. Morocco's Ramadan suspensions, are weeks
 * apart).
 */
const STEP_MS = 7 * DAY_MS;
const MIN_YEAR = 1969;
const MAX_YEAR = 10_000;
/** Years kept per zone; a scheduler moves forward, so old years are rarely needed again. */
const MAX_CACHED_YEARS = 512;
const WALL = /^(\d+)\/(\d+)\/(\d+),? (\d+):(\d+):(\d+)$/;

/** One stretch of a year with a constant offset: `[start, next segment's start)`. */
interface Segment {
  start: number;
  offset: number;
}

/** Where an instant falls: its year's segments, the index of its segment and where that ends. */
interface Location {
  year: number;
  segments: Segment[];
  index: number;
  start: number;
  end: number;
  offset: number;
}

/** UTC offsets (in ms) of one zone at any instant, and conversions between instants and wall times. */
export class ZoneOffsets {
  readonly #format: Intl.DateTimeFormat;
  /** Each loaded year's segments; the first one starts on January 1 (UTC) of that year. */
  readonly #years = new Map<number, Segment[]>();
  #hint: Location | null = null;

  /** @param name - a valid IANA zone name */
  constructor(readonly name: string) {
    // `format` and a regex cost about a third of luxon's `formatToParts`-based lookup.
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The offset at `instant`: wall time = instant + offset. */
  offsetAt(instant: number): number {
    return this.#locate(instant).offset;
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
    return this.#locate(instant);
  }

  /**
   * The earliest instant whose wall time is at or after `wall`: the instant of `wall` itself,
   * its first occurrence in a fall-back overlap, or the end of a spring-forward gap it falls in.
   */
  firstInstantAtOrAfter(wall: number): number {
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
    const { segments, index } = this.#locate(instant - 1);
    const current = segments[index] as Segment;
    let high = instant - 1 + current.offset;
    const previousOffset = index > 0 ? (segments[index - 1] as Segment).offset : this.offsetAt(current.start - 1);
    if (previousOffset > current.offset) high = Math.max(high, current.start - 1 + previousOffset);
    return high;
  }

  #locate(instant: number): Location {
    const hint = this.#hint;
    if (hint !== null && instant >= hint.start && instant < hint.end) return hint;
    const year = yearOf(instant);
    const segments = this.#segmentsOf(year);
    let lo = 0;
    let hi = segments.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segments[mid] as Segment).start <= instant) lo = mid;
      else hi = mid - 1;
    }
    const segment = segments[lo] as Segment;
    const end = segments[lo + 1]?.start ?? yearStart(year + 1);
    this.#hint = { year, segments, index: lo, start: segment.start, end, offset: segment.offset };
    return this.#hint;
  }

  #segmentsOf(year: number): Segment[] {
    let segments = this.#years.get(year);
    if (!segments) {
      if (this.#years.size >= MAX_CACHED_YEARS) this.#years.delete(this.#years.keys().next().value as number);
      segments = this.#scan(year);
      this.#years.set(year, segments);
    }
    return segments;
  }

  /** Samples one year and records every offset change, found to the second. */
  #scan(year: number): Segment[] {
    const from = yearStart(year);
    const to = yearStart(year + 1);
    let offset = this.#intlOffset(from);
    const segments: Segment[] = [{ start: from, offset }];
    for (let t = from; t < to; ) {
      const next = Math.min(t + STEP_MS, to);
      const nextOffset = this.#intlOffset(next);
      if (nextOffset !== offset) {
        // Transitions fall on whole seconds: bisect in seconds.
        let lo = Math.floor(t / 1000);
        let hi = Math.ceil(next / 1000);
        while (hi - lo > 1) {
          const mid = Math.floor((lo + hi) / 2);
          if (this.#intlOffset(mid * 1000) === offset) lo = mid;
          else hi = mid;
        }
        // A change exactly at the next year's start belongs to that year's table.
        if (hi * 1000 < to) segments.push({ start: hi * 1000, offset: nextOffset });
        offset = nextOffset;
      }
      t = next;
    }
    return segments;
  }

  /** The offset from `Intl`: the zone's wall time minus the instant, in ms. */
  #intlOffset(instant: number): number {
    const match = WALL.exec(this.#format.format(instant));
    if (!match) throw new RangeError(`Cannot read the time in ${this.name} at ${instant}`);
    const [, month, day, year, hour, minute, second] = match.map(Number) as number[];
    const wall = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second);
    return wall - Math.floor(instant / 1000) * 1000;
  }
}

/** The UTC year of an instant, clamped to the years the tables cover. */
function yearOf(instant: number): number {
  if (!(instant >= yearStart(MIN_YEAR))) return MIN_YEAR;
  if (!(instant < yearStart(MAX_YEAR))) return MAX_YEAR;
  return new Date(instant).getUTCFullYear();
}

function yearStart(year: number): number {
  return Date.UTC(year, 0, 1);
}
