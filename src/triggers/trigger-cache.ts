/**
 * Tables that triggers share: one time-zone transition table per zone name, and compiled crontab
 * strings. 100,000 cron jobs in one zone build that zone's table once and parse a shared crontab
 * string once.
 *
 * @module
 */
import type { CompiledCrontab } from './cron/crontab.js';
import type { Trigger } from './trigger.js';
import { ZoneOffsets } from './zone/zone-offsets.js';

/** Most compiled crontab strings and shared triggers kept; beyond it the oldest is dropped. */
const MAX_ENTRIES = 4_096;

/**
 * Shared trigger tables. Each `TriggerRegistry` (so each scheduler) owns one and hands it to
 * the triggers it builds. Pass one to cron and calendar-interval triggers you construct
 * yourself in large numbers, so they share their tables too.
 *
 * @example
 * ```ts
 * const cache = new TriggerCache();
 * const triggers = [8, 12, 18].map((hour) => new CronTrigger({ hour, timezone: 'Europe/Berlin' }, cache));
 * ```
 */
export class TriggerCache {
  readonly #zones = new Map<string, ZoneOffsets>();
  readonly #crontabs = new Map<string, CompiledCrontab>();
  readonly #triggers = new Map<string, Trigger>();

  /**
   * The offset table of a valid IANA zone name.
   * @internal
   */
  zone(name: string): ZoneOffsets {
    let zone = this.#zones.get(name);
    if (!zone) {
      zone = new ZoneOffsets(name);
      this.#zones.set(name, zone);
    }
    return zone;
  }

  /**
   * A compiled crontab string, compiled by `compile` on first use.
   * @internal
   */
  crontab(expression: string, compile: (expression: string) => CompiledCrontab): CompiledCrontab {
    return remember(this.#crontabs, expression, compile);
  }

  /**
   * The trigger built from `key` (a spec's canonical text), built by `build` on first use.
   * Built-in triggers are immutable and pure, so jobs with equal specs can share one instance:
   * 100,000 jobs on the same schedule hold one trigger, not 100,000.
   * @internal
   */
  trigger(key: string, build: () => Trigger): Trigger {
    return remember(this.#triggers, key, build);
  }
}

/** `map.get(key)`, or `make(key)` stored under it, dropping the oldest entry when full. */
function remember<T>(map: Map<string, T>, key: string, make: (key: string) => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = make(key);
    if (map.size >= MAX_ENTRIES) map.delete(map.keys().next().value as string);
    map.set(key, value);
  }
  return value;
}
