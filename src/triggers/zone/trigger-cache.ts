/**
 * Tables that triggers share: one time-zone transition table per zone name, and compiled crontab
 * strings. 100,000 cron jobs in one zone build that zone's table once and parse a shared crontab
 * string once.
 *
 * @module
 */
import type { CompiledCrontab } from '../cron/crontab.js';
import { ZoneOffsets } from './zone-offsets.js';

/** Most compiled crontab strings kept; beyond it the oldest is dropped. */
const MAX_CRONTABS = 4_096;

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
    let compiled = this.#crontabs.get(expression);
    if (!compiled) {
      compiled = compile(expression);
      if (this.#crontabs.size >= MAX_CRONTABS) this.#crontabs.delete(this.#crontabs.keys().next().value as string);
      this.#crontabs.set(expression, compiled);
    }
    return compiled;
  }
}
