/**
 * The options most triggers share (start, end, zone, jitter) written to JSON and to `toString()`
 * in one place, so every trigger shows them the same way.
 *
 * @internal
 * @module
 */
import { toIso, toLocalIso } from './dates.js';
import type { TriggerSpec } from './trigger.js';

/** A trigger's shared options, as epoch milliseconds and names. */
export interface TriggerBounds {
  start: number | null;
  end: number | null;
  timezone: string | undefined;
  jitter: number | null;
}

/** Adds the bounds that are set to `spec` (`startDate`, `endDate` as UTC ISO strings) and returns it. */
export function withBounds(spec: TriggerSpec, bounds: TriggerBounds): TriggerSpec {
  if (bounds.start !== null) spec.startDate = toIso(bounds.start);
  if (bounds.end !== null) spec.endDate = toIso(bounds.end);
  if (bounds.timezone !== undefined) spec.timezone = bounds.timezone;
  if (bounds.jitter !== null) spec.jitter = bounds.jitter;
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
