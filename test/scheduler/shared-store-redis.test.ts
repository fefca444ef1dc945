/**
 * Schedulers sharing one Redis store, on one virtual clock (the scenarios of
 * `shared-store.test.ts`, on Redis): every slot started once across nodes, `maxInstances` across
 * nodes (loop and `runJob`), leases of long runs extended, runs of a dead node reported, a dead
 * node's lease taken over the moment it expires, a catch-up finished by another node, restarts
 * with the misfire rules, changes reaching the other nodes at once (pub/sub) or within
 * `pollInterval` when a message is lost, and every connection killed mid-run (`CLIENT KILL`).
 * Each scenario works under a fresh key prefix.
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, expect, it } from 'vitest';
import { IntervalTrigger } from '../../src/index.js';
import { RedisJobStore, type RedisJobStoreOptions } from '../../src/stores/redis.js';
import { contractContext, makeRecord } from '../contracts/job-store.contract.js';
import { describeWithServer } from '../helpers/databases.js';
import { Nodes } from '../helpers/nodes.js';
import { killClients, probeRedis, REDIS_URL, redisScratch } from '../helpers/redis.js';
import { T0, deferred, ofType } from '../helpers/scheduler.js';

const S = 1_000;
const at = (ms: number): Date => new Date(T0 + ms);

const server = await probeRedis();
const scratch = server.ok ? redisScratch() : null;
afterAll(async () => scratch?.drop());

let nodes: Nodes | null = null;
afterEach(async () => {
  await nodes?.shutdown();
  nodes = null;
});

/** Nodes on a fresh prefix; `store()` opens another instance on it (not started). */
function onRedis(options: ConstructorParameters<typeof Nodes>[1] = {}, storeOptions: RedisJobStoreOptions = {}): { nodes: Nodes; store: () => RedisJobStore; prefix: string } {
  const prefix = scratch!.prefix();
  const store = (): RedisJobStore => new RedisJobStore({ url: REDIS_URL }, { prefix, ...storeOptions });
  nodes = new Nodes(store, options);
  return { nodes, store, prefix };
}

/** Adds `count` jobs of the `record` task every second from 1 s, through `node`. */
async function everySecond(node: Nodes['nodes'][number], count: number, options: Record<string, unknown> = {}): Promise<void> {
  for (let i = 0; i < count; i++) {
    await node.scheduler.addJob('record', new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: `job-${i}`, ...options });
  }
}

describeWithServer('schedulers sharing a Redis store', server, () => {
  it('start every due slot exactly once across three nodes', async () => {
    const { nodes } = onRedis();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => nodes.add(name));
    for (const node of [a, b, c]) await node!.scheduler.start();
    await everySecond(a!, 30);
    await nodes.drive(20 * S + 500);
    const counts = nodes.runsPerSlot();
    expect(counts.size).toBe(30 * 20);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const node of [a, b, c]) {
      for (const event of ofType(node!.events, 'job:executed')) expect(event.node).toBe(node!.name);
      expect(ofType(node!.events, 'store:error')).toEqual([]);
      expect(ofType(node!.events, 'job:max-instances')).toEqual([]);
    }
  }, 60_000);

  it('count maxInstances across nodes: one run in flight in all, the others refused as job:max-instances', async () => {
    const { nodes } = onRedis();
    const gate = deferred();
    let running = 0;
    let most = 0;
    nodes.tasks.slow = async () => {
      most = Math.max(most, ++running);
      await gate.promise;
      running--;
    };
    const [a, b] = ['a', 'b'].map((name) => nodes.add(name));
    await a!.scheduler.start();
    await b!.scheduler.start();
    await a!.scheduler.addJob('slow', new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: 'slow', maxInstances: 1 });
    await nodes.drive(6 * S);
    expect(most).toBe(1);
    const refused = [...ofType(a!.events, 'job:max-instances'), ...ofType(b!.events, 'job:max-instances')];
    expect(refused.length).toBeGreaterThanOrEqual(4);
    for (const node of [a!, b!]) await expect(node.scheduler.runJob('slow')).rejects.toMatchObject({ code: 'ERR_MAX_INSTANCES' });
    gate.resolve();
    await nodes.drive(2 * S);
    await expect(b!.scheduler.runJob('slow')).resolves.toBeUndefined();
    await nodes.drive(0);
    expect(ofType(b!.events, 'job:executed').length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('extend the lease of a run that outlasts it: no other node counts it abandoned or starts a second instance', async () => {
    const { nodes } = onRedis({ leaseTime: 3 });
    const gate = deferred();
    let starts = 0;
    nodes.tasks.long = async () => {
      starts++;
      await gate.promise;
    };
    const [a, b] = ['a', 'b'].map((name) => nodes.add(name));
    await a!.scheduler.start();
    await b!.scheduler.start();
    await a!.scheduler.addJob('long', new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: 'long', maxInstances: 1 });
    await nodes.drive(30 * S, 250);
    expect(starts).toBe(1);
    expect([...ofType(a!.events, 'job:abandoned'), ...ofType(b!.events, 'job:abandoned')]).toEqual([]);
    gate.resolve();
    await nodes.drive(2 * S);
    expect(starts).toBeGreaterThan(1);
  }, 60_000);

  it("report a dead node's run as job:abandoned once its lease has expired, and stop counting it", async () => {
    const { nodes, store } = onRedis({ leaseTime: 5 });
    const a = nodes.add('a');
    await a.scheduler.start();
    await a.scheduler.addJob('record', new IntervalTrigger({ seconds: 60, startDate: at(60 * S) }), { id: 'one', maxInstances: 1 });
    const dead = store();
    await dead.start(contractContext());
    const runId = '00000000-0000-4000-8000-000000000001';
    const result = await dead.commitJobs('dead#1', [], [{ runId, jobId: 'one', node: 'dead', scheduledRunTime: at(0).toISOString(), maxInstances: 1 }], at(0).toISOString(), 5_000);
    expect(result.started).toEqual([runId]);
    await dead.shutdown();
    await expect(a.scheduler.runJob('one')).rejects.toMatchObject({ code: 'ERR_MAX_INSTANCES' });
    await nodes.drive(8 * S);
    expect(ofType(a.events, 'job:abandoned')).toEqual([
      expect.objectContaining({ jobId: 'one', store: 'default', node: 'dead', runId, scheduledRunTime: at(0) }),
    ]);
    await a.scheduler.runJob('one');
    await nodes.drive(0);
    expect(nodes.ran).toEqual([{ jobId: 'one', slot: T0 + 8 * S, node: 'a' }]);
  }, 60_000);

  it("take over a dead node's leased job the moment its lease expires, not a poll or maxWait later", async () => {
    const { nodes, store } = onRedis({}, { pollInterval: 0 });
    const b = nodes.add('b');
    await b.scheduler.start({ paused: true });
    await b.scheduler.addJob('record', new IntervalTrigger({ seconds: 60, startDate: at(S) }), { id: 'taken' });
    const dead = store();
    await dead.start(contractContext());
    expect((await dead.acquireDueJobs(at(S).toISOString(), 'dead#1', 7_000, 10)).map((job) => job.id)).toEqual(['taken']);
    await dead.shutdown();
    await nodes.drive(S);
    b.scheduler.resume();
    await nodes.drive(10 * S);
    expect(nodes.ran).toEqual([{ jobId: 'taken', slot: T0 + S, node: 'b' }]);
    expect(ofType(b.events, 'job:submitted')[0]?.timestamp).toEqual(at(8 * S));
  }, 60_000);

  it("run a coalesce-'all' catch-up one slot at a time, and on another node the rest of it when the first is cut off", async () => {
    const prefix = scratch!.prefix();
    // Node i's store fails every call once i is in `cut` (to the others, a node that died).
    const cut = new Set<number>();
    let opened = 0;
    nodes = new Nodes(
      () => {
        const index = opened++;
        const store = new RedisJobStore({ url: REDIS_URL }, { prefix, pollInterval: 0.5 });
        return new Proxy(store, {
          get(target, key) {
            const value = Reflect.get(target, key, target) as unknown;
            if (typeof value !== 'function' || key === 'shutdown') return typeof value === 'function' ? value.bind(target) : value;
            return (...args: unknown[]) =>
              cut.has(index) ? Promise.reject(new Error('connection lost')) : (value as (...a: unknown[]) => unknown).apply(target, args);
          },
        });
      },
      { leaseTime: 3 },
    );
    let running = 0;
    let most = 0;
    nodes.tasks.step = async (ctx) => {
      nodes!.ran.push({ jobId: ctx.job.id, slot: ctx.scheduledRunTime.getTime() - T0, node: ctx.scheduler.identity });
      if (ctx.scheduler.identity === 'a' && ctx.scheduledRunTime.getTime() === T0 + 3 * S) await new Promise(() => undefined);
      most = Math.max(most, ++running);
      await nodes!.clock.sleep(200);
      running--;
    };
    const a = nodes.add('a');
    await a.scheduler.start({ paused: true });
    await a.scheduler.addJob('step', new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: 'c', coalesce: 'all', misfireGraceTime: null, maxInstances: 1 });
    await nodes.drive(10 * S + 500);
    a.scheduler.resume();
    await nodes.drive(S);
    expect(nodes.ran.map((run) => [run.slot / S, run.node])).toEqual([[1, 'a'], [2, 'a'], [3, 'a']]);
    cut.add(0);
    const b = nodes.add('b');
    await b.scheduler.start();
    await nodes.drive(20 * S, 250);
    const slots = nodes.ran.map((run) => run.slot / S);
    const skipped = ofType(b.events, 'job:max-instances').map((event) => (event.scheduledRunTime.getTime() - T0) / S);
    expect(skipped.length).toBeLessThanOrEqual(1);
    const accounted = [...slots, ...skipped].sort((x, y) => x - y);
    expect(accounted).toEqual(Array.from({ length: accounted.length }, (_, k) => k + 1));
    expect(accounted.length).toBeGreaterThanOrEqual(28);
    expect(nodes.ran.slice(3).every((run) => run.node === 'b')).toBe(true);
    expect(most).toBe(1);
    expect(ofType(b.events, 'job:abandoned')).toEqual([expect.objectContaining({ jobId: 'c', node: 'a', scheduledRunTime: at(3 * S) })]);
  }, 60_000);

  it('keep jobs across a restart, applying the misfire rules to the slots missed while no node ran', async () => {
    const { nodes } = onRedis();
    const a = nodes.add('a');
    await a.scheduler.start();
    await a.scheduler.addJob('record', new IntervalTrigger({ seconds: 10, startDate: at(10 * S) }), { id: 'kept', misfireGraceTime: 25, coalesce: 'latest' });
    await nodes.drive(10 * S);
    expect(nodes.ran.map((run) => run.slot - T0)).toEqual([10 * S]);
    await a.scheduler.shutdown();
    await nodes.drive(60 * S + 500);
    const b = nodes.add('b');
    await b.scheduler.start();
    await nodes.drive(0);
    expect(ofType(b.events, 'job:missed').map((event) => event.scheduledRunTime.getTime() - T0)).toEqual([20 * S, 30 * S, 40 * S]);
    expect(nodes.ran.map((run) => [run.slot - T0, run.node])).toEqual([[10 * S, 'a'], [70 * S, 'b']]);
    expect(ofType(b.events, 'job:executed')[0]?.slotCount).toBe(3);
  }, 60_000);

  it('run on time a job another process added while this one was down', async () => {
    const { nodes } = onRedis();
    const writer = nodes.add('writer');
    await writer.scheduler.start({ paused: true });
    await writer.scheduler.addJob('record', new IntervalTrigger({ seconds: 60, startDate: at(5 * S) }), { id: 'added' });
    await nodes.drive(3 * S);
    const a = nodes.add('a');
    await a.scheduler.start();
    await nodes.drive(3 * S);
    expect(nodes.ran).toEqual([{ jobId: 'added', slot: T0 + 5 * S, node: 'a' }]);
    expect(ofType(a.events, 'job:submitted')[0]?.timestamp).toEqual(at(5 * S));
  }, 60_000);

  it('wake the other nodes at once when one adds a job (pub/sub, no poll)', async () => {
    const { nodes } = onRedis({}, { pollInterval: 0 });
    const [a, b] = ['a', 'b'].map((name) => nodes.add(name));
    await a!.scheduler.start();
    await b!.scheduler.start({ paused: true });
    await nodes.drive(10 * S);
    await b!.scheduler.addJob('record', new IntervalTrigger({ seconds: 60, startDate: at(10 * S + 200) }), { id: 'late' });
    // Virtual time moves past the slot, then stays: a (which never polls, and whose next look
    // would be maxWait, 60 s, away) runs the job only if the message (real time) woke it.
    await nodes.drive(300);
    for (const deadline = Date.now() + 5_000; nodes.ran.length === 0 && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await nodes.drive(0);
      await nodes.clock.advance(0);
    }
    expect(nodes.ran).toEqual([{ jobId: 'late', slot: T0 + 10 * S + 200, node: 'a' }]);
  }, 60_000);

  it('see within pollInterval a job whose change message was lost', async () => {
    const { nodes, prefix } = onRedis({}, { pollInterval: 1 });
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
