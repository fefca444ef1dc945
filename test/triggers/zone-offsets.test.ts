/**
 * The zone offset tables read `Intl` lazily, one weekly cell of a year at a time, and answer
 * most lookups from the stretch of constant offset found last. Neither may change an answer: a
 * table filled in any order, or read at one cell a year (a leap-day schedule), answers as a
 * fresh table does, and as luxon does.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IANAZone } from 'luxon';
import { ZoneOffsets } from '../../src/triggers/zone/zone-offsets.js';
import { cachedTransitions, refHighWaterBefore, refWallAt } from '../helpers/cron-reference.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ZONES = [
  'America/New_York',
  'America/Santiago', // DST gap at midnight
  'America/Havana', // DST gap at midnight
  'Australia/Sydney',
  'Australia/Lord_Howe', // 30-minute DST
  'Europe/Berlin',
  'Africa/Casablanca', // Ramadan suspensions: four changes a year
  'Pacific/Apia', // skipped 30 December 2011
] as const;

const iso = (t: number): string => new Date(t).toISOString();

const transitions = cachedTransitions();

/** Instants where the tables are easy to get wrong: at, just before and after transitions. */
function interesting(zone: string, years: readonly number[]): number[] {
  const out: number[] = [];
  for (const year of years) {
    out.push(Date.UTC(year, 0, 1), Date.UTC(year, 0, 1) - 1, Date.UTC(year, 1, 28, 12), Date.UTC(year, 6, 1));
    for (const t of transitions(zone, year)) {
      out.push(t, t - 1, t + 1, t + 600_000, t + HOUR / 2, t - HOUR, t + HOUR, t - DAY, t + DAY, t - 2 * DAY, t + 2 * DAY);
    }
  }
  return out;
}

/** Every answer the tables give about `t`, from `zone`. */
function answers(zone: ZoneOffsets, t: number) {
  const { start, end, offset } = zone.segmentAt(t);
  return {
    offsetAt: zone.offsetAt(t),
    toWall: zone.toWall(t),
    segment: [start, end, offset],
    highWaterBefore: zone.highWaterBefore(t),
    firstInstantAtOrAfter: zone.firstInstantAtOrAfter(t),
  };
}

/** The earliest instant showing `wall`, or the end of the gap holding it, from luxon. */
function refFirstInstantAtOrAfter(zone: string, wall: number): number {
  const z = IANAZone.create(zone);
  const offsets = [z.offset(wall - DAY), z.offset(wall + DAY)].map((minutes) => minutes * 60_000);
  const candidates = offsets.map((offset) => wall - offset).sort((a, b) => a - b);
  for (const t of candidates) if (refWallAt(zone, t) === wall) return t;
  // In a gap: the transition between the two candidates.
  const year = new Date(wall).getUTCFullYear();
  const inGap = [year - 1, year, year + 1]
    .flatMap((y) => transitions(zone, y))
    .filter((t) => t > wall - 2 * DAY && t <= (candidates[1] as number))
    .at(-1);
  if (inGap === undefined) throw new Error(`no transition near ${iso(wall)} in ${zone}`);
  return inGap;
}

describe('ZoneOffsets: lazily read tables', () => {
  it('answer as luxon does, around every transition of sampled years', () => {
    for (const name of ZONES) {
      const zone = new ZoneOffsets(name);
      for (const t of interesting(name, [1975, 1996, 2011, 2024, 2037, 2100])) {
        const where = `${name} at ${iso(t)}`;
        expect(zone.offsetAt(t), where).toBe(refWallAt(name, t) - t);
        expect(zone.highWaterBefore(t), where).toBe(refHighWaterBefore(name, t));
        expect(iso(zone.firstInstantAtOrAfter(t)), where).toBe(iso(refFirstInstantAtOrAfter(name, t)));
        // The segment: from the last transition (or the year's start) to the next (or its end).
        const year = new Date(t).getUTCFullYear();
        const cuts = [Date.UTC(year, 0, 1), ...transitions(name, year), Date.UTC(year + 1, 0, 1)];
        const { start, end } = zone.segmentAt(t);
        expect([iso(start), iso(end)], where).toEqual([cuts.filter((c) => c <= t).at(-1), cuts.find((c) => c > t)].map((c) => iso(c as number)));
      }
    }
  });

  it('give the same answers whatever the order of lookups (fast-check)', () => {
    const years = [1971, 1990, 2011, 2024, 2025, 2099, 2100, 2400, 9999];
    const lookups = fc
      .constantFrom(...ZONES)
      .chain((name) => {
        const all = interesting(name, years);
        return fc.tuple(fc.constant(name), fc.shuffledSubarray(all, { minLength: Math.min(40, all.length), maxLength: Math.min(120, all.length) }));
      });
    fc.assert(
      fc.property(lookups, ([name, instants]) => {
        const shared = new ZoneOffsets(name);
        for (const t of instants) {
          expect(answers(shared, t), `${name} at ${iso(t)}`).toEqual(answers(new ZoneOffsets(name), t));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('read at one day every four years (a leap-day schedule) across 2100 and 2400, answer as luxon does', () => {
    for (const name of ZONES) {
      const zone = new ZoneOffsets(name);
      for (let year = 2092; year <= 2412; year += 4) {
        const wall = Date.UTC(year, 1, 28 + (year % 100 === 0 && year % 400 !== 0 ? 0 : 1));
        const where = `${name} ${iso(wall)}`;
        expect(iso(zone.firstInstantAtOrAfter(wall)), where).toBe(iso(refFirstInstantAtOrAfter(name, wall)));
        const instant = zone.firstInstantAtOrAfter(wall);
        expect(zone.highWaterBefore(instant + 1), where).toBe(refHighWaterBefore(name, instant + 1));
      }
    }
  });

  it('before 1969 and after 9999, use the offsets of those years as before', () => {
    for (const name of ZONES) {
      const zone = new ZoneOffsets(name);
      const fresh = (t: number) => answers(new ZoneOffsets(name), t);
      for (const t of [Date.UTC(1900, 5, 1), Date.UTC(1969, 0, 1) - 1, Date.UTC(10_001, 5, 1), Date.UTC(12_000, 0, 1)]) {
        expect(answers(zone, t), `${name} at ${t}`).toEqual(fresh(t));
      }
      expect(zone.offsetAt(Date.UTC(1900, 0, 1))).toBe(zone.offsetAt(Date.UTC(1969, 0, 1)));
    }
  });
});
