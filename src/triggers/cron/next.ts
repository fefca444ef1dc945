/**
 * Turns wall-clock matches into instants under the DST rule of SPEC §3.3:
 *
 * - **fixed-time** schedules (specific hours) fire once per matching local time: a time inside a
 *   spring-forward gap fires at the first instant after the gap, a time inside a fall-back
 *   overlap at its first occurrence only, and a local time the clock already showed is never
 *   fired again (also when the search starts inside the repeated hour);
 * - **elapsed-time** schedules (hour `*` or a step) fire at every real instant whose local time
 *   matches: both passes through a repeated hour, nothing inside a gap.
 *
 * @internal
 * @module
 */
import type { ZoneOffsets } from '../zone/zone-offsets.js';
import { MAX_YEAR, type CronSchedule } from './schedule.js';
import { DAY_MS } from './calendar.js';

/** How a schedule treats DST transitions. */
export type DstMode = 'fixed' | 'elapsed';

/** The first fire time at or after the instant `from`, or `null`. */
export function nextFireInstant(schedule: CronSchedule, zone: ZoneOffsets, mode: DstMode, from: number): number | null {
  return mode === 'fixed' ? nextFixed(schedule, zone, from) : nextElapsed(schedule, zone, from);
}

function nextFixed(schedule: CronSchedule, zone: ZoneOffsets, from: number): number | null {
  // Local times up to the clock's high-water mark have been shown already (maybe in the first
  // pass through an overlap): the next fire is the first match after it.
  const wall = schedule.firstMatch(zone.highWaterBefore(from) + 1);
  return wall === null ? null : zone.firstInstantAtOrAfter(wall);
}

function nextElapsed(schedule: CronSchedule, zone: ZoneOffsets, from: number): number | null {
  let t = from;
  // Walk the constant-offset segments from `from`; within one, wall time and instants move
  // together, so the first wall match inside the segment is the answer.
  for (;;) {
    const { start, end, offset } = zone.segmentAt(t);
    const wall = schedule.firstMatch(t + offset);
    const instant = wall === null ? null : wall - offset;
    if (instant !== null && instant < end) return instant;
    if (!Number.isFinite(end) || end > MAX_INSTANT) return null;
    // A search begun inside a segment says nothing of the wall times just after it: a fall back
    // repeats wall times from before where it began (after 01:30 EDT, the next match may be
    // 01:30 EST, not next year). Search the next segment from its start before jumping.
    if (t !== start) {
      t = end;
      continue;
    }
    if (instant === null) return null;
    // No wall time from the segment's start to `wall` matches, and offsets differ by less than a
    // day, so no instant before `instant - 2 days` can: jump there instead of walking every
    // segment (years) between. (Assumes a segment outlasts the fall back that ends it.)
    t = Math.max(end, instant - 2 * DAY_MS);
  }
}

/** The end of year 9999 (UTC); no schedule fires later. */
const MAX_INSTANT = Date.UTC(MAX_YEAR + 1, 0, 1);
