/**
 * The JSON value type shared by every part: job arguments and metadata, trigger specs and store
 * records are all plain JSON. A neutral module, so triggers, stores, executors and the
 * scheduler depend on it rather than on each other.
 *
 * @module
 */

/** A JSON value, as stored by job stores. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
