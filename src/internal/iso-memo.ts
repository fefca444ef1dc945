/**
 * ISO-8601 strings and epoch milliseconds, converted with a one-entry memory each way.
 *
 * Thousands of jobs due in the same slot are read and written with the same instant: remembering
 * the last conversion turns those repeats into one comparison (and hands out one shared string).
 *
 * @internal
 * @module
 */

/** Converts between ISO-8601 and epoch ms, remembering the last conversion in each direction. */
export class IsoMemo {
  #readIso = '';
  #readMs = Number.NaN;
  #writtenMs = Number.NaN;
  #writtenIso = '';

  /** `Date.parse(iso)`. */
  toMs(iso: string): number {
    if (iso !== this.#readIso) {
      this.#readIso = iso;
      this.#readMs = Date.parse(iso);
    }
    return this.#readMs;
  }

  /** `new Date(ms).toISOString()`. */
  toIso(ms: number): string {
    if (ms !== this.#writtenMs) {
      this.#writtenMs = ms;
      this.#writtenIso = new Date(ms).toISOString();
    }
    return this.#writtenIso;
  }
}
