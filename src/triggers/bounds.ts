/**
 * The options most triggers share (start, end, zone, jitter) written to JSON and to `toString()`
 * in one place, so every trigger shows them the same way.
 *
 * @internal
 * @module
 */
import { toIso, toLocalIso } from './dates.js';
import type { SpecBounds } from './specs.js';

/** A trigger's shared options, as epoch milliseconds and names. */
export interface TriggerBounds {
  start: number | null;
  end: number | null;
  timezone: string | undefined;
  jitter: number | null;
}

/** Adds the bounds that are set to `spec` (`startDate`, `endDate` as UTC ISO strings) and returns it. */
export function withBounds<S extends SpecBounds>(spec: S, bounds: TriggerBounds): S {
  const out: SpecBounds = spec;
  if (bounds.start !== null) out.startDate = toIso(bounds.start);
  if (bounds.end !== null) out.endDate = toIso(bounds.end);
  if (bounds.timezone !== undefined) out.timezone = bounds.timezone;
  if (bounds.jitter !== null) out.jitter = bounds.jitter;
  return spec;
}

/** `type[part, ..., start=..., end=..., timezone=..., jitter=...s]`, dates in the trigger's zone. */
export function describe(type: string, parts: string[], bounds: TriggerBounds): string {
  const all = [...parts];
  if (bounds.start !== null) all.push(`start=${toLocalIso(bounds.start, bounds.timezone)}`);
  if (bounds.end !== null) all.push(`end=${toLocalIso(bounds.end, bounds.timezone)}`);
  if (bounds.timezone !== undefined) all.push(`timezone=${bounds.timezone}`);
  if (bounds.jitter !== null) all.push(`jitter=${bounds.jitter}s`);
  return `${type}[${all.join(', ')}]`;
}
