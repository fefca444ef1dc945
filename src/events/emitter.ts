/**
 * A typed event emitter over eventemitter3. Listeners are wrapped so that one that throws (or
 * rejects) is logged and never breaks the emitter or the scheduler loop that emitted.
 *
 * @internal
 * @module
 */
import { EventEmitter } from 'eventemitter3';
import type { Logger } from '../logger.js';

type Listener<E> = (event: E) => unknown;
type Wrapped = (event: unknown) => void;

/** Typed on/once/off/emit over an event map. */
export class TypedEmitter<M extends object> {
  readonly #emitter = new EventEmitter();
  // Maps a user's listener to its wrappers, so off(listener) finds what was registered.
  readonly #wrappers = new Map<string, Map<unknown, Wrapped[]>>();
  readonly #logger: Logger;
  /** The names `on`, `once` and `off` accept; `null` accepts any. */
  readonly #names: ReadonlySet<string> | null;

  /**
   * @param logger - where listener errors are reported
   * @param names - every event name of `M`: `on`, `once` and `off` refuse any other with a
   *   `TypeError` (JavaScript callers and casts get past the types). Without it, any name goes.
   */
  constructor(logger: Logger, names?: readonly (keyof M & string)[]) {
    this.#logger = logger;
    this.#names = names === undefined ? null : new Set(names);
  }

  /** Subscribes; returns a function that unsubscribes. @throws TypeError for an unknown name */
  on<K extends keyof M & string>(name: K, listener: Listener<M[K]>): () => void {
    return this.#add(name, listener, false);
  }

  /** Subscribes for one event; returns a function that unsubscribes. @throws TypeError for an unknown name */
  once<K extends keyof M & string>(name: K, listener: Listener<M[K]>): () => void {
    return this.#add(name, listener, true);
  }

  /** Unsubscribes one registration of `listener`. @throws TypeError for an unknown name */
  off<K extends keyof M & string>(name: K, listener: Listener<M[K]>): void {
    this.#checkName(name);
    const wrapped = this.#wrappers.get(name)?.get(listener)?.pop();
    if (wrapped) this.#emitter.off(name, wrapped);
  }

  /** Is anyone listening to `name`? Lets callers skip building payloads nobody reads. */
  has(name: keyof M & string): boolean {
    return this.#emitter.listenerCount(name) > 0;
  }

  /** Calls every listener of `name` with `event`. */
  emit<K extends keyof M & string>(name: K, event: M[K]): void {
    this.#emitter.emit(name, event);
  }

  #checkName(name: unknown): void {
    if (this.#names === null || (typeof name === 'string' && this.#names.has(name))) return;
    const known = [...this.#names].join(', ');
    throw new TypeError(`Unknown event ${describeName(name)}: expected one of ${known}`);
  }

  #add<K extends keyof M & string>(name: K, listener: Listener<M[K]>, once: boolean): () => void {
    this.#checkName(name);
    if (typeof listener !== 'function') {
      throw new TypeError(`Invalid listener for ${JSON.stringify(name)}: expected a function`);
    }
    const wrapped: Wrapped = (event) => {
      if (once) this.#forget(name, listener, wrapped);
      try {
        const result = listener(event as M[K]);
        if (result !== null && typeof result === 'object' && 'then' in result) {
          Promise.resolve(result).catch((error: unknown) => this.#report(name, error));
        }
      } catch (error) {
        this.#report(name, error);
      }
    };
    let byListener = this.#wrappers.get(name);
    if (!byListener) this.#wrappers.set(name, (byListener = new Map()));
    const list = byListener.get(listener) ?? [];
    list.push(wrapped);
    byListener.set(listener, list);
    if (once) this.#emitter.once(name, wrapped);
    else this.#emitter.on(name, wrapped);
    let active = true;
    return () => {
      if (!active) return;
      active = false;
      this.#forget(name, listener, wrapped);
      this.#emitter.off(name, wrapped);
    };
  }

  #forget(name: string, listener: unknown, wrapped: Wrapped): void {
    const byListener = this.#wrappers.get(name);
    const list = byListener?.get(listener);
    if (!byListener || !list) return;
    const index = list.indexOf(wrapped);
    if (index >= 0) list.splice(index, 1);
    if (list.length === 0) byListener.delete(listener);
  }

  #report(name: string, error: unknown): void {
    try {
      this.#logger.error(`timetable: a listener of ${name} threw`, error);
    } catch {
      // A broken logger must not break event delivery either.
    }
  }
}

/** An event name as given, for an error message (it may be anything at run time). */
function describeName(name: unknown): string {
  if (typeof name === 'string') return JSON.stringify(name);
  if (typeof name === 'symbol') return name.toString();
  return typeof name === 'object' && name !== null ? `(an ${typeof name})` : String(name);
}
