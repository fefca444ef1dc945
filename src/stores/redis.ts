/**
 * `timetable/stores/redis`: a persistent job store in Redis 7+ (ioredis, an optional peer
 * dependency: `npm install ioredis`), shared by any number of schedulers.
 *
 * @example
 * ```ts
 * import { Scheduler } from 'timetable';
 * import { RedisJobStore } from 'timetable/stores/redis';
 *
 * const store = new RedisJobStore({ url: process.env.REDIS_URL! });
 * const scheduler = new Scheduler({ stores: { default: store } });
 * ```
 *
 * @module
 */
export { RedisJobStore, type IoredisClient, type RedisConnection, type RedisJobStoreOptions } from './redis/redis-job-store.js';
export { UNREADABLE_TRIGGER_TYPE } from './sql/records.js';
