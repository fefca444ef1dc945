/**
 * One UTC year of a zone's offsets, read from `Intl` lazily on a weekly grid. The grid points
 * are the year's start plus whole weeks, and its end; an offset change between two neighbouring
 * points is found to the second by bisection. Reading only the cells a caller asks about gives
 * exactly the table a scan of the whole year would (the same points, the same bisection), but
 * a schedule that fires once a year or less (`0 0 0 29 2 *`) pays for one cell (two `Intl`
 * calls), not for the ~90 calls of a whole year. A year asked about at several cells is read
 * whole, and then keeps only its segments, as a full scan would.
 *
 * @internal
 * @module
 */

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;
/**
 * Grid step: shorter than the time between any two offset changes (the closest pairs in the
 * IANA data since 1970, e.g. Morocco's Ramadan suspensions, are weeks apart), so a cell whose
 * end points agree holds no change.
 */
const STEP_MS = 7 * DAY_MS;
/**
 * Points read after which the rest of the year is read at once: a year asked about at several
 * cells is being walked through (a daily or monthly schedule), and its segments then answer
 * every later lookup at once. A year asked about at one day (a yearly schedule) stays lazy.
 */
const READ_WHOLE_YEAR_AFTER = 8;
/** A change found at exactly the year's end: it belongs to the next year's table. */
const AT_YEAR_END = -1;

/** Reads the zone's offset (ms) at an instant from `Intl`. */
export type OffsetSampler = (instant: number) => number;

/**
 * Instants `[start, end)` that all have `offset`. `exact` when the stretch is a whole segment:
 * both ends are offset changes or bounds of the year (where a full scan of the year cuts it).
 * Otherwise it covers only the part of a segment read so far.
 */
export interface Stretch {
  readonly start: number;
  readonly end: number;
  readonly offset: number;
  readonly exact: boolean;
}

/** January 1 of a (proleptic Gregorian) year, 00:00 UTC: `Date.UTC(year, 0, 1)` in arithmetic. */
export function yearStart(year: number): number {
  const leapDays = Math.floor((year - 1969) / 4) - Math.floor((year - 1901) / 100) + Math.floor((year - 1601) / 400);
  return (365 * (year - 1970) + leapDays) * DAY_MS;
}

/**
 * The offsets of one UTC year, read on demand. Small, so that a zone can keep thousands of
 * years: a year read at one cell holds four numbers, a year read whole its segments.
 */
export class YearGrid {
  readonly start: number;
  readonly end: number;
  /**
   * What was read, as pairs: a grid point `k` (0 to the number of cells) and the offset there,
   * or `-1 - k` and the seconds from `start` to cell `k`'s change. Replaced by a copy one pair
   * longer on each write (a write follows an `Intl` call, so it is rare and the copy cheap),
   * which keeps the array at its exact size.
   */
  #read: readonly number[] = [];
  /** Once the whole year is read: each segment's start and offset, in order. */
  #segments: readonly number[] | null = null;

  constructor(year: number) {
    this.start = yearStart(year);
    this.end = yearStart(year + 1);
  }

  /**
   * The stretch holding `instant`: its cell, widened over neighbouring cells with the same
   * offset. `exact` widens up to the segment's ends, reading cells from `Intl` as needed;
   * otherwise only over cells read already. An instant outside the year (the clamped first and
   * last years) gets the stretch of the nearest cell: not holding it, but with its offset.
   */
  stretchAt(instant: number, exact: boolean, sample: OffsetSampler): Stretch {
    if (this.#segments === null && this.#pointsRead() >= READ_WHOLE_YEAR_AFTER) this.#readWhole(sample);
    if (this.#segments !== null) return this.#segmentAt(this.#segments, instant);
    const cells = this.#cells();
    const k = Math.min(Math.max(Math.floor((instant - this.start) / STEP_MS), 0), cells - 1);
    const change = this.#changeIn(k, sample);
    const early = instant < change; // before the cell's change (always, when it has none)
    const offset = early || change === Number.POSITIVE_INFINITY ? this.#point(k, sample) : this.#point(k + 1, sample);
    let start = early ? this.#cellStart(k) : change;
    let end = early && change !== Number.POSITIVE_INFINITY ? change : this.#cellEnd(k);
    let openStart = early; // may extend into the previous cell
    let openEnd = !early || change === Number.POSITIVE_INFINITY;
    for (let j = k - 1; openStart; j--) {
      if (j < 0) openStart = false; // the year's start
      else if (!exact && !this.#isRead(j)) break;
      else {
        const c = this.#changeIn(j, sample);
        start = c === Number.POSITIVE_INFINITY ? this.#cellStart(j) : c;
        openStart = c === Number.POSITIVE_INFINITY;
      }
    }
    for (let j = k + 1; openEnd; j++) {
      if (j >= cells) openEnd = false; // the year's end
      else if (!exact && !this.#isRead(j)) break;
      else {
        const c = this.#changeIn(j, sample);
        end = c === Number.POSITIVE_INFINITY ? this.#cellEnd(j) : c;
        openEnd = c === Number.POSITIVE_INFINITY;
      }
    }
    return { start, end, offset, exact: !openStart && !openEnd };
  }

  /** The segment holding `instant` (the first or last one for instants outside the year). */
  #segmentAt(segments: readonly number[], instant: number): Stretch {
    let i = 0;
    while (i + 2 < segments.length && (segments[i + 2] as number) <= instant) i += 2;
    const end = i + 2 < segments.length ? (segments[i + 2] as number) : this.end;
    return { start: segments[i] as number, end, offset: segments[i + 1] as number, exact: true };
  }

  /** Reads the rest of the year and keeps its segments only. */
  #readWhole(sample: OffsetSampler): void {
    const segments = [this.start, this.#point(0, sample)];
    for (let k = 0; k < this.#cells(); k++) {
      const change = this.#changeIn(k, sample);
      if (change !== Number.POSITIVE_INFINITY) segments.push(change, this.#point(k + 1, sample));
    }
    this.#segments = segments;
    this.#read = [];
  }

  #cells(): number {
    return Math.ceil((this.end - this.start) / STEP_MS);
  }

  #cellStart(k: number): number {
    return this.start + k * STEP_MS;
  }

  #cellEnd(k: number): number {
    return Math.min(this.start + (k + 1) * STEP_MS, this.end);
  }

  /** Has cell `k` been read (both end points, and its change if they differ)? */
  #isRead(k: number): boolean {
    const a = this.#find(k);
    const b = this.#find(k + 1);
    return a !== undefined && b !== undefined && (a === b || this.#find(-1 - k) !== undefined);
  }

  /**
   * The first instant of cell `k` with a new offset, or `Infinity` when the offset holds for
   * the whole cell (also when the change falls on the year's end, as a full scan would leave it
   * to the next year's table).
   */
  #changeIn(k: number, sample: OffsetSampler): number {
    const before = this.#point(k, sample);
    if (this.#point(k + 1, sample) === before) return Number.POSITIVE_INFINITY;
    let seconds = this.#find(-1 - k);
    if (seconds === undefined) {
      // Offset changes fall on whole seconds: bisect in seconds.
      let lo = Math.floor(this.#cellStart(k) / 1000);
      let hi = Math.ceil(this.#cellEnd(k) / 1000);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (sample(mid * 1000) === before) lo = mid;
        else hi = mid;
      }
      seconds = hi * 1000 < this.end ? hi - this.start / 1000 : AT_YEAR_END;
      this.#read = [...this.#read, -1 - k, seconds];
    }
    return seconds === AT_YEAR_END ? Number.POSITIVE_INFINITY : this.start + seconds * 1000;
  }

  #point(k: number, sample: OffsetSampler): number {
    let offset = this.#find(k);
    if (offset === undefined) {
      offset = sample(Math.min(this.#cellStart(k), this.end));
      this.#read = [...this.#read, k, offset];
    }
    return offset;
  }

  #pointsRead(): number {
    let count = 0;
    for (let i = 0; i < this.#read.length; i += 2) if ((this.#read[i] as number) >= 0) count++;
    return count;
  }

  #find(slot: number): number | undefined {
    const read = this.#read;
    for (let i = 0; i < read.length; i += 2) if (read[i] === slot) return read[i + 1];
    return undefined;
  }
}
