/**
 * A started store's connections and names: what `start()` opens (the client, checked; the
 * layout version; the change listener) and `shutdown()` closes. An application's client is
 * used as it is and never closed; only what the store made is.
 *
 * @internal
 * @module
 */
import { randomUUID } from 'node:crypto';
import { StoreError, type JobStoreContext } from 'timetable';
import { checkAppClient, openOwnClient, placeOfClient, placeOfUrl, type Place } from './connection.js';
import { ConnectionWatch } from './watch.js';
import { describeFault, storeFault, type RedisLabel } from './faults.js';
import { keysOf, SCHEMA_VERSION, type Keys } from './keys.js';
import { INIT } from './lua/jobs.js';
import type { RedisClient, RedisSettings } from './options.js';
import { runScript } from './scripts.js';
import { Subscriber } from './subscriber.js';

/** What the store's calls work with while it is started. */
export interface Session {
  readonly client: RedisClient;
  readonly keys: Keys;
  readonly label: RedisLabel;
  /** The channel of changes, with the client's `keyPrefix` (ioredis does not prefix channels). */
  readonly channel: string;
  /** This store's own change messages: its listener ignores them. */
  readonly token: string;
}

/** A started session, and how to end it. */
export interface OpenSession extends Session {
  close(): void;
}

/** Where the store of `settings` is, for messages (before anything connects). */
export function labelOf(settings: RedisSettings): RedisLabel {
  const place: Place = 'url' in settings.source ? placeOfUrl(settings.source.url) : placeOfClient(settings.source.client);
  return { where: place.where, tag: `{${settings.prefix}}`, secrets: place.secrets };
}

/**
 * Connects (or checks the application's client), records the layout version or checks the one
 * found, and subscribes to changes.
 *
 * @throws `StoreError` naming the server, database and key prefix (never a password)
 */
export async function openSession(settings: RedisSettings, context: JobStoreContext): Promise<OpenSession> {
  const label = labelOf(settings);
  const describe = `Redis job store (${label.where}, keys ${label.tag}*)`;
  const own = 'url' in settings.source;
  let client: RedisClient;
  try {
    client = 'url' in settings.source ? await openOwnClient(settings.source.url) : settings.source.client;
    if (!own) await checkAppClient(client);
  } catch (error) {
    throw new StoreError(`cannot connect to the Redis job store at ${label.where}: ${describeFault(error, label.secrets)}`, { cause: error });
  }
  const watch = own ? new ConnectionWatch(client, context, describe, label.secrets) : null;
  const keys = keysOf(settings.prefix);
  const keyPrefix = (client.options as { keyPrefix?: unknown } | undefined)?.keyPrefix;
  const channel = `${typeof keyPrefix === 'string' ? keyPrefix : ''}${keys.channel}`;
  const token = randomUUID();
  let subscriber: Subscriber | null = null;
  const close = (): void => {
    subscriber?.close();
    watch?.close();
    if (own) client.disconnect();
  };
  try {
    await checkServer(client, label);
    await checkLayout(client, keys, label);
    subscriber = await Subscriber.open(client, channel, token, context, describe, label.secrets);
  } catch (error) {
    close();
    throw error instanceof StoreError ? error : storeFault(error, label, 'starting');
  }
  return { client, keys, label, channel, token, close };
}

/** The oldest Redis the scripts run on: their shebang flags (`#!lua flags=...`) came with 7.0. */
const MIN_REDIS_MAJOR = 7;

/**
 * Refuses a Redis older than 7 with a message that says so (its error would be a script that
 * does not compile). A server or proxy that does not answer `INFO` is given the benefit of the
 * doubt.
 */
async function checkServer(client: RedisClient, label: RedisLabel): Promise<void> {
  const info = await client.info('server').catch(() => '');
  const version = /redis_version:(\d+)\.(\S*)/.exec(info);
  if (version !== null && Number(version[1]) < MIN_REDIS_MAJOR) {
    throw new StoreError(
      `Redis job store (${label.where}, keys ${label.tag}*): the server runs Redis ${version[1]}.${version[2]}; the store needs Redis ${MIN_REDIS_MAJOR} or later`,
    );
  }
}

/** Writes the layout version on first start; refuses a layout newer than this code knows. */
async function checkLayout(client: RedisClient, keys: Keys, label: RedisLabel): Promise<void> {
  // A plain read first: a store whose version is there starts even when Redis is out of memory.
  const found = (await client.hget(keys.meta, 'schema')) ?? ((await runScript(client, INIT, [keys.meta], [String(SCHEMA_VERSION)])) as string);
  const version = Number(found);
  if (!Number.isSafeInteger(version) || version > SCHEMA_VERSION) {
    throw new StoreError(
      `Redis job store (${label.where}, keys ${label.tag}*): its keys are of layout version ${JSON.stringify(found)}, newer than this version of timetable knows (${SCHEMA_VERSION}); upgrade timetable`,
    );
  }
}
