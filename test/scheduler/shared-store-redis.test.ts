/**
 * Schedulers sharing one Redis store, on one virtual clock: the shared scenarios (see
 * `helpers/shared-scenarios.ts`), changes reaching the other nodes at once (pub/sub) or within
 * `pollInterval` when a message is lost, and every connection killed mid-run (`CLIENT KILL`).
 * Each scenario works under a fresh key prefix.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, expect, it } from 'vitest';
import { IntervalTrigger } from '../../src/index.js';
import { RedisJobStore } from '../../src/stores/redis.js';
import { makeRecord } from '../contracts/job-store.contract.js';
import { describeWithServer } from '../helpers/databases.js';
import { Nodes } from '../helpers/nodes.js';
import { killClients, probeRedis, REDIS_URL, redisScratch } from '../helpers/redis.js';
import { ofType } from '../helpers/scheduler.js';
import { S, at, everySecond, sharedStoreScenarios, wakesAtOnce, type OpenOptions, type OpenedStore } from '../helpers/shared-scenarios.js';


const server = await probeRedis();
const scratch = server.ok ? redisScratch() : null;
afterAll(async () => scratch?.drop());

let nodes: Nodes | null = null;
afterEach(async () => {
  await nodes?.shutdown();
  nodes = null;
});

/** Nodes on a fresh prefix; `store()` opens another instance on it (not started). */
function onRedis({ nodes: options = {}, store: storeOptions = {}, wrap = (store) => store }: OpenOptions = {}): { nodes: Nodes; store: () => OpenedStore; prefix: string } {
  const prefix = scratch!.prefix();
  const store = (): RedisJobStore => new RedisJobStore({ url: REDIS_URL }, { prefix, ...storeOptions });
  nodes = new Nodes(() => wrap(store()), options);
  return { nodes, store, prefix };
}

describeWithServer('schedulers sharing a Redis store', server, () => {
  sharedStoreScenarios(onRedis);

  it('wake the other nodes at once when one adds a job (pub/sub, no poll)', async () => {
    await wakesAtOnce(onRedis({ store: { pollInterval: 0 } }).nodes);
  }, 60_000);

  it('see within pollInterval a job whose change message was lost', async () => {
    const { nodes, prefix } = onRedis({ store: { pollInterval: 1 } });
    const a = nodes.add('a');
    await a.scheduler.start();
    await nodes.drive(10 * S); // a now waits on an empty store
    // Written straight into the keys, as a store would, but with no message: as if it was lost.
    const slot = at(10 * S + 200).toISOString();
    const trigger = new IntervalTrigger({ seconds: 60, startDate: at(10 * S + 200) }).toJSON();
    const record = makeRecord({ id: 'late', task: 'record', trigger, nextRunTime: slot });
    const tag = `{${prefix}}`;
    await scratch!.admin
      .multi()
      .hset(`${tag}job:late`, { data: JSON.stringify(record), next: slot, ms: String(Date.parse(slot)), version: '1', trigger: 'by-hand' })
      .zadd(`${tag}due`, Date.parse(slot), 'late')
      .sadd(`${tag}jobs`, 'late')
      .exec();
    await nodes.drive(2 * S);
    expect(nodes.ran).toEqual([{ jobId: 'late', slot: Date.parse(slot), node: 'a' }]);
    const started = ofType(a.events, 'job:submitted')[0]!.timestamp.getTime();
    expect(started - Date.parse(slot)).toBeLessThanOrEqual(S);
  }, 60_000);

  it('carry on when every connection is killed mid-run (CLIENT KILL): store:error and retries, nothing lost, nothing twice, no crash', async () => {
    const prefix = scratch!.prefix();
    const name = `${scratch!.base}_kill`;
    // The application's clients, reconnecting a second after a loss (so that the nodes' next
    // pass surely meets a dead connection), failing calls at once meanwhile, never resending.
    const clients: Redis[] = [];
    nodes = new Nodes(() => {
      const client = new Redis(REDIS_URL, {
        connectionName: name,
        enableOfflineQueue: false,
        autoResendUnfulfilledCommands: false,
        maxRetriesPerRequest: 1,
        retryStrategy: () => 1_000,
      });
      client.on('error', () => undefined);
      clients.push(client);
      return new RedisJobStore({ client }, { prefix });
    });
    try {
      const [a, b] = ['a', 'b'].map((name) => nodes!.add(name));
      await a!.scheduler.start();
      await b!.scheduler.start();
      await everySecond(a!, 10, { misfireGraceTime: null, coalesce: 'all' });
      await nodes.drive(5 * S);
      // Two clients, and the change listener each store duplicated from its own.
      expect(await killClients(scratch!.admin, name)).toBe(4);
      const wait = async (done: () => boolean): Promise<void> => {
        for (const deadline = Date.now() + 3_000; !done() && Date.now() < deadline; ) await new Promise((resolve) => setTimeout(resolve, 5));
      };
      // While they reconnect (real time), the nodes' passes fail: reported, and retried later.
      await wait(() => clients.every((client) => client.status !== 'ready'));
      await nodes.drive(S);
      const errors = [...ofType(a!.events, 'store:error'), ...ofType(b!.events, 'store:error')];
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.every((event) => /not connected to Redis/.test((event.error as Error).message))).toBe(true);
      await wait(() => clients.every((client) => client.status === 'ready'));
      await nodes.drive(9 * S + 500);
      const counts = nodes.runsPerSlot();
      // coalesce 'all' with no grace limit: a slot a failed call delayed still runs, once.
      expect(counts.size).toBe(10 * 15);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect(await a!.scheduler.getJobs()).toHaveLength(10);
    } finally {
      await nodes.shutdown();
      for (const client of clients) client.disconnect();
    }
  }, 60_000);
});
