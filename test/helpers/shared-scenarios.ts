/**
 * The scenarios every store shared by several schedulers must pass, on one virtual clock:
 * `maxInstances` across nodes (loop and `runJob`), leases of long runs extended, runs of a dead
 * node reported, a dead node's lease taken over the moment it expires, a catch-up finished by
 * another node, restarts with the misfire rules, a job added while a node was down. Each store's
 * test file runs them on its own store (`shared-store.test.ts` on SQLite files,
 * `shared-store-redis.test.ts` on Redis), beside what is its own.
 */
import { expect, it } from 'vitest';
import { IntervalTrigger, type JobStore, type SharedJobStore } from '../../src/index.js';
import { contractContext } from '../contracts/job-store.contract.js';
import type { Nodes } from './nodes.js';
import { T0, deferred, ofType } from './scheduler.js';

export const S = 1_000;
export const at = (ms: number): Date => new Date(T0 + ms);

/** What a scenario asks of its store: node options, store options, and a wrapper per node's store. */
export interface OpenOptions {
  nodes?: ConstructorParameters<typeof Nodes>[1];
  store?: { pollInterval?: number };
  wrap?: (store: JobStore) => JobStore;
}

/**
 * Nodes on a fresh namespace of the store (a new file, key prefix, ...), registered by the test
 * file for its clean-up; `store()` opens another instance on the same namespace (not started).
 */
export type OpenShared = (options?: OpenOptions) => { nodes: Nodes; store: () => OpenedStore };

/** A shared store with its lifecycle methods (every persistent store has them). */
export type OpenedStore = SharedJobStore & Required<Pick<JobStore, 'start' | 'shutdown'>>;

/** Adds `count` jobs of the `record` task every second from 1 s, through `node`. */
export async function everySecond(node: Nodes['nodes'][number], count: number, options: Record<string, unknown> = {}): Promise<void> {
  for (let i = 0; i < count; i++) {
    await node.scheduler.addJob('record', new IntervalTrigger({ seconds: 1, startDate: at(S) }), { id: `job-${i}`, ...options });
  }
}

/** Three nodes, `jobs` jobs every second for 20 s: each slot once, by whichever node took it. */
export async function exactlyOnce(nodes: Nodes, jobs: number): Promise<void> {
  const [a, b, c] = ['a', 'b', 'c'].map((name) => nodes.add(name));
  for (const node of [a, b, c]) await node!.scheduler.start();
  await everySecond(a!, jobs);
  await nodes.drive(20 * S + 500);
  const counts = nodes.runsPerSlot();
  expect(counts.size).toBe(jobs * 20);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  // Every run event names the node that ran it (which node takes a batch is up to the store).
  for (const node of [a, b, c]) {
    for (const event of ofType(node!.events, 'job:executed')) expect(event.node).toBe(node!.name);
    expect(ofType(node!.events, 'store:error')).toEqual([]);
    expect(ofType(node!.events, 'job:max-instances')).toEqual([]);
  }
}

/**
 * Two nodes, ten jobs every second; after 5 s `cut()` drops every connection of the stores (it
 * returns how many), then 10 s more. Every slot runs once, none is lost after the first seconds
 * of reconnection, and no job is deleted.
 */
export async function connectionsCut(nodes: Nodes, cut: () => Promise<number>): Promise<void> {
  const [a, b] = ['a', 'b'].map((name) => nodes.add(name));
  await a!.scheduler.start();
  await b!.scheduler.start();
  await everySecond(a!, 10, { misfireGraceTime: null, coalesce: 'all' });
  await nodes.drive(5 * S);
  expect(await cut()).toBeGreaterThan(0);
  await nodes.drive(10 * S + 500);
  const counts = nodes.runsPerSlot();
  // coalesce 'all' with no grace limit: a slot a failed call delayed still runs, once.
  expect(counts.size).toBe(10 * 15);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(await a!.scheduler.getJobs()).toHaveLength(10);
}

/**
 * Node b adds a job while node a waits on an empty store with no poll: a must run it on time,
 * which only a change message (real time) from b can make happen.
 */
export async function wakesAtOnce(nodes: Nodes): Promise<void> {
  const [a, b] = ['a', 'b'].map((name) => nodes.add(name));
  await a!.scheduler.start();
  await b!.scheduler.start({ paused: true });
  await nodes.drive(10 * S);
  await b!.scheduler.addJob('record', new IntervalTrigger({ seconds: 60, startDate: at(10 * S + 200) }), { id: 'late' });
  // Virtual time moves past the slot, then stays: a (whose next look would be maxWait, 60 s,
  // away) runs the job only if the message (real time) woke it.
  await nodes.drive(300);
  for (const deadline = Date.now() + 5_000; nodes.ran.length === 0 && Date.now() < deadline; ) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await nodes.drive(0);
    await nodes.clock.advance(0);
  }
  expect(nodes.ran).toEqual([{ jobId: 'late', slot: T0 + 10 * S + 200, node: 'a' }]);
}

/** Registers the shared scenarios (inside the caller's `describe`). */
export function sharedStoreScenarios(open: OpenShared): void {
  it('start every due slot exactly once across three nodes', async () => {
    await exactlyOnce(open().nodes, 30);
  }, 60_000);

  it('count maxInstances across nodes: one run in flight in all, the others refused as job:max-instances', async () => {
    const { nodes } = open();
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
    // runJob on either node is refused too, while the run is in flight anywhere.
    for (const node of [a!, b!]) await expect(node.scheduler.runJob('slow')).rejects.toMatchObject({ code: 'ERR_MAX_INSTANCES' });
    gate.resolve();
    await nodes.drive(2 * S);
    await expect(b!.scheduler.runJob('slow')).resolves.toBeUndefined();
    await nodes.drive(0);
    expect(ofType(b!.events, 'job:executed').length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('extend the lease of a run that outlasts it: no other node counts it abandoned or starts a second instance', async () => {
    const { nodes } = open({ nodes: { leaseTime: 3 } });
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
    // Ten leases long: without extension the run would stop counting after 3 s.
    await nodes.drive(30 * S, 250);
    expect(starts).toBe(1);
    expect([...ofType(a!.events, 'job:abandoned'), ...ofType(b!.events, 'job:abandoned')]).toEqual([]);
    gate.resolve();
    await nodes.drive(2 * S);
    expect(starts).toBeGreaterThan(1);
  }, 60_000);

  it("report a dead node's run as job:abandoned once its lease has expired, and stop counting it", async () => {
    const { nodes, store } = open({ nodes: { leaseTime: 5 } });
    const a = nodes.add('a');
    await a.scheduler.start();
    await a.scheduler.addJob('record', new IntervalTrigger({ seconds: 60, startDate: at(60 * S) }), { id: 'one', maxInstances: 1 });
    // A node that died after recording a run of the job (no scheduler of it is left to end it).
    const dead = store();
    await dead.start(contractContext());
    const runId = '00000000-0000-4000-8000-000000000001';
    const result = await dead.commitJobs('dead#1', [], [{ runId, jobId: 'one', node: 'dead', scheduledRunTime: at(0).toISOString(), maxInstances: 1 }], at(0).toISOString(), 5_000);
    expect(result.started).toEqual([runId]);
    await dead.shutdown();
    // While its lease holds, the dead run counts toward maxInstances.
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
    // No polling: b's only reason to wake is the lease's end, which getNextRunTime reports.
    const { nodes, store } = open({ store: { pollInterval: 0 } });
    const b = nodes.add('b');
    await b.scheduler.start({ paused: true });
    await b.scheduler.addJob('record', new IntervalTrigger({ seconds: 60, startDate: at(S) }), { id: 'taken' });
    // A node that leases the job at 1 s for 7 s, then dies.
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
    // Node i's store fails every call once i is in `cut` (a node cut off from the database is,
    // to the others, a node that died).
    const cut = new Set<number>();
    let opened = 0;
    const { nodes } = open({
      nodes: { leaseTime: 3 },
      store: { pollInterval: 0.5 },
      wrap: (store) => {
        const index = opened++;
        return new Proxy(store, {
          get(target, key) {
            const value = Reflect.get(target, key, target) as unknown;
            if (typeof value !== 'function' || key === 'shutdown') return typeof value === 'function' ? value.bind(target) : value;
            return (...args: unknown[]) =>
              cut.has(index) ? Promise.reject(new Error('connection lost')) : (value as (...a: unknown[]) => unknown).apply(target, args);
          },
        });
      },
    });
    let running = 0;
    let most = 0;
    nodes.tasks.step = async (ctx) => {
      nodes.ran.push({ jobId: ctx.job.id, slot: ctx.scheduledRunTime.getTime() - T0, node: ctx.scheduler.identity });
      // Node a never finishes the slot at 3 s: it is cut off in the middle of it (and its run
      // then counts as over, for the others).
      if (ctx.scheduler.identity === 'a' && ctx.scheduledRunTime.getTime() === T0 + 3 * S) await new Promise(() => undefined);
      most = Math.max(most, ++running);
      await nodes.clock.sleep(200);
      running--;
    };
    const a = nodes.add('a');
    await a.scheduler.start({ paused: true });
    await a.scheduler.addJob('step', new IntervalTrigger({ seconds: 1, startDate: at(S) }), {
      id: 'c', coalesce: 'all', misfireGraceTime: null, maxInstances: 1,
    });
    await nodes.drive(10 * S + 500); // slots at 1..10 s are due
    a.scheduler.resume();
    await nodes.drive(S);
    // One after another, each committed before it starts: 1 and 2 done, 3 running on a.
    expect(nodes.ran.map((run) => [run.slot / S, run.node])).toEqual([[1, 'a'], [2, 'a'], [3, 'a']]);
    cut.add(0);
    const b = nodes.add('b');
    await b.scheduler.start();
    await nodes.drive(20 * S, 250);
    const slots = nodes.ran.map((run) => run.slot / S);
    // Every slot once: 1-3 on a, the rest (the catch-up, then on time) on b; never two at once.
    // A slot that came due while the catch-up's last run still ran is skipped and reported
    // (maxInstances 1), as anywhere.
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
    const { nodes } = open();
    const a = nodes.add('a');
    await a.scheduler.start();
    await a.scheduler.addJob('record', new IntervalTrigger({ seconds: 10, startDate: at(10 * S) }), {
      id: 'kept',
      misfireGraceTime: 25,
      coalesce: 'latest',
    });
    await nodes.drive(10 * S);
    expect(nodes.ran.map((run) => run.slot - T0)).toEqual([10 * S]);
    await a.scheduler.shutdown();
    // Down for 60 s (slots at 20..70 s pass), then a new process on the same file.
    await nodes.drive(60 * S + 500);
    const b = nodes.add('b');
    await b.scheduler.start();
    await nodes.drive(0);
    // Slots older than 25 s are missed; the rest coalesce into one run for the latest.
    expect(ofType(b.events, 'job:missed').map((event) => event.scheduledRunTime.getTime() - T0)).toEqual([20 * S, 30 * S, 40 * S]);
    expect(nodes.ran.map((run) => [run.slot - T0, run.node])).toEqual([[10 * S, 'a'], [70 * S, 'b']]);
    expect(ofType(b.events, 'job:executed')[0]?.slotCount).toBe(3);
  }, 60_000);

  it('run on time a job another process added while this one was down', async () => {
    const { nodes } = open();
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
}
