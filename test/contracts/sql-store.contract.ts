/**
 * What every SQL store must do beyond the JobStore contract, against its real database: the
 * schema (created on first start, a version row, an in-place upgrade from version 1 written by
 * the test, a newer version refused, several stores starting at once on an empty database),
 * rows edited by hand (bad JSON, unknown trigger type, unregistered task), and driver errors.
 *
 * Each store's test file supplies a {@link SqlFixture}: raw SQL on the same database, and the
 * version-1 layout in its own dialect.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import type { JobStore } from '../../src/stores/job-store.js';
import { UNREADABLE_TRIGGER_TYPE } from '../../src/stores/sql/records.js';
import { VirtualClock } from '../../src/testing/index.js';
import { codeOf, isShared } from './harness.js';
import { contractContext, makeRecord } from './job-store.contract.js';

/** Raw access to a SQL store's database, for a test to set up or inspect what the store left. */
export interface SqlFixture {
  /** A new store using tables with this prefix (not started). */
  make(prefix: string): JobStore;
  /** Runs one statement with `?` placeholders; returns its rows (none for writes). */
  exec(text: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** The quoted (and schema-qualified) name of a table. */
  table(name: string): string;
  /**
   * The statements that create schema version 1 under `prefix` (meta and jobs tables, version
   * row 1), as a store of that version left it.
   */
  v1Layout(prefix: string): string[];
  /**
   * A server store pointed at a port where nothing listens, with a password in its connection:
   * `start()` must name `where` (host and database) and never `secret`.
   */
  unreachable?: { store: () => JobStore; where: string[]; secret: string };
}

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const T3 = '2026-01-01T00:03:00.000Z';
const MINUTE = 60_000;
const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Declares the SQL store suite. `fixture()` is called per test, after a fresh prefix is made. */
export function sqlStoreContract(name: string, fixture: () => SqlFixture): void {
  describe(`SQL store: ${name}`, () => {
    let counter = 0;
    const prefix = (): string => `s${Date.now().toString(36)}${counter++}_`;
    const started: JobStore[] = [];
    const start = async (store: JobStore): Promise<JobStore> => {
      await store.start?.(contractContext());
      started.push(store);
      return store;
    };
    const stopAll = async (): Promise<void> => {
      for (const store of started.splice(0)) await store.shutdown?.();
    };
    const version = async (f: SqlFixture, p: string): Promise<number> => {
      const rows = await f.exec(`SELECT value FROM ${f.table(`${p}meta`)} WHERE name = ?`, ['schema_version']);
      return Number(rows[0]?.value);
    };

    it('creates its tables on first start, with a schema-version row', async () => {
      const f = fixture();
      const p = prefix();
      try {
        const store = await start(f.make(p));
        expect(await version(f, p)).toBe(2);
        await store.addJob(makeRecord({ id: 'a' }));
        const rows = await f.exec(`SELECT id, next_run_time, next_run_ms, version, lease_owner FROM ${f.table(`${p}jobs`)}`);
        expect(rows.map((row) => ({ ...row, next_run_ms: Number(row.next_run_ms), version: Number(row.version) }))).toStrictEqual([
          { id: 'a', next_run_time: T0, next_run_ms: Date.parse(T0), version: 1, lease_owner: null },
        ]);
        expect(await f.exec(`SELECT run_id FROM ${f.table(`${p}runs`)}`)).toStrictEqual([]);
      } finally {
        await stopAll();
      }
    });

    it('upgrades a database left by schema version 1 in place, keeping its jobs and leases', async () => {
      const f = fixture();
      const p = prefix();
      try {
        for (const statement of f.v1Layout(p)) await f.exec(statement);
        const old = makeRecord({ id: 'old "one" ✓', nextRunTime: T0, args: ['kept'], version: 4 });
        const data = JSON.stringify(old);
        const trigger = sha256(JSON.stringify(old.trigger));
        await f.exec(
          `INSERT INTO ${f.table(`${p}jobs`)} (id_hash, id, data, trigger_hash, next_run_time, next_run_ms, version, lease_owner, lease_until, lease_trigger_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [sha256(old.id), old.id, data, trigger, T0, Date.parse(T0), 4, 'A#1', Date.parse(T1), trigger],
        );
        const store = await start(f.make(p));
        expect(await version(f, p)).toBe(2);
        expect(JSON.stringify(await store.getJob(old.id))).toBe(data);
        // The lease written by the old version still holds, and its owner can commit a run.
        expect(await store.acquireDueJobs(T0, 'B#1', MINUTE, 10)).toStrictEqual([]);
        if (isShared(store)) {
          const result = await store.commitJobs('A#1', [{ id: old.id, acquiredRunTime: T0, nextRunTime: T3 }], [
            { runId: 'r1', jobId: old.id, node: 'A', scheduledRunTime: T0, maxInstances: 1 },
          ], T0, MINUTE);
          expect(result.started).toStrictEqual(['r1']);
        }
        expect(await store.getJob(old.id)).toStrictEqual({ ...old, nextRunTime: T3, version: 5 });
        // Starting again finds the latest version and changes nothing.
        await stopAll();
        const again = await start(f.make(p));
        expect(await version(f, p)).toBe(2);
        expect((await again.getJob(old.id))?.version).toBe(5);
      } finally {
        await stopAll();
      }
    });

    it('refuses to start on a schema newer than it knows, naming both versions', async () => {
      const f = fixture();
      const p = prefix();
      try {
        await start(f.make(p));
        await stopAll();
        await f.exec(`UPDATE ${f.table(`${p}meta`)} SET value = ? WHERE name = ?`, ['99', 'schema_version']);
        const store = f.make(p);
        const error = await store.start?.(contractContext()).then(() => null, (e: unknown) => e);
        expect(error).toMatchObject({ code: 'ERR_STORE' });
        expect((error as Error).message).toMatch(/schema version 99.*\(2\)/);
      } finally {
        await stopAll();
      }
    });

    it('lets three stores start at once on an empty database', async () => {
      const f = fixture();
      const p = prefix();
      try {
        const stores = [f.make(p), f.make(p), f.make(p)];
        await Promise.all(stores.map((store) => start(store)));
        expect(await version(f, p)).toBe(2);
        await stores[0]!.addJob(makeRecord({ id: 'a' }));
        expect((await stores[2]!.getJob('a'))?.id).toBe('a');
      } finally {
        await stopAll();
      }
    });

    it('keeps rows edited by hand, reads the other jobs, and returns a bad row as an unreadable record', async () => {
      const f = fixture();
      const p = prefix();
      try {
        const store = await start(f.make(p));
        const good = makeRecord({ id: 'good', nextRunTime: T0 });
        const unknownTrigger = makeRecord({ id: 'unknown-trigger', nextRunTime: T0, trigger: { type: 'no-such-trigger' } });
        const unknownTask = makeRecord({ id: 'unknown-task', nextRunTime: T0, task: 'no-such-task' });
        for (const record of [good, unknownTrigger, unknownTask, makeRecord({ id: 'bad-json', nextRunTime: T0 }), makeRecord({ id: 'not-a-job', nextRunTime: T0 })]) {
          await store.addJob(record);
        }
        const jobs = f.table(`${p}jobs`);
        await f.exec(`UPDATE ${jobs} SET data = ? WHERE id = ?`, ['{"id": "bad-json", oops', 'bad-json']);
        await f.exec(`UPDATE ${jobs} SET data = ? WHERE id = ?`, ['[1, 2, 3]', 'not-a-job']);
        const all = await store.getJobs();
        expect(all.map((record) => record.id)).toStrictEqual(['bad-json', 'good', 'not-a-job', 'unknown-task', 'unknown-trigger']);
        const bad = all[0]!;
        expect(bad).toMatchObject({ id: 'bad-json', nextRunTime: T0, version: 1, trigger: { type: UNREADABLE_TRIGGER_TYPE } });
        expect(String(bad.trigger.error)).toMatch(/"bad-json".*JSON/);
        expect(all[2]!.trigger).toMatchObject({ type: UNREADABLE_TRIGGER_TYPE, error: expect.stringMatching(/not a JSON object/) });
        expect(all[4]).toStrictEqual(unknownTrigger);
        expect(await store.getJob('unknown-task')).toStrictEqual(unknownTask);
        // Due like any job: the scheduler gets them all, and reports the unusable ones.
        expect((await store.acquireDueJobs(T0, 'A#1', MINUTE, 10)).map((record) => record.id)).toHaveLength(5);
        // The store never writes its stand-in over the row.
        expect(await codeOf(store.updateJob({ ...bad, nextRunTime: null, version: 2 }))).toBe('ERR_STORE');
        // Left leased (the scheduler does not release what it cannot use), taken over after expiry.
        expect((await store.acquireDueJobs(T3, 'B#1', MINUTE, 10)).map((record) => record.id).sort()).toContain('bad-json');
        expect(await f.exec(`SELECT data FROM ${jobs} WHERE id = ?`, ['bad-json'])).toStrictEqual([{ data: '{"id": "bad-json", oops' }]);
        expect(await f.exec(`SELECT data FROM ${jobs} WHERE id = ?`, ['not-a-job'])).toStrictEqual([{ data: '[1, 2, 3]' }]);
        // An explicit removal is the user's to make.
        await store.removeJob('bad-json');
        expect(await store.getJob('bad-json')).toBeUndefined();
      } finally {
        await stopAll();
      }
    });

    it('runs the good jobs of a scheduler and reports each unusable row once as job:invalid, leaving it as it is', async () => {
      const f = fixture();
      const p = prefix();
      const clock = new VirtualClock(T0);
      const ran: string[] = [];
      const invalid: string[] = [];
      const store = f.make(p);
      const scheduler = new Scheduler({ stores: { default: store }, clock, timezone: 'UTC', tasks: { work: () => void ran.push('good') } });
      scheduler.on('job:invalid', (event) => void invalid.push(event.jobId));
      scheduler.on('store:error', (event) => {
        throw event.error;
      });
      try {
        await store.start?.(contractContext());
        const at = '2026-01-01T00:00:05.000Z';
        await store.addJob(makeRecord({ id: 'good', task: 'work', nextRunTime: at, trigger: { type: 'date', runDate: at } }));
        await store.addJob(makeRecord({ id: 'bad-json', task: 'work', nextRunTime: at }));
        await store.addJob(makeRecord({ id: 'unknown-trigger', task: 'work', nextRunTime: at, trigger: { type: 'no-such-trigger' } }));
        await store.addJob(makeRecord({ id: 'unknown-task', task: 'no-such-task', nextRunTime: at, trigger: { type: 'date', runDate: at } }));
        const jobs = f.table(`${p}jobs`);
        await f.exec(`UPDATE ${jobs} SET data = ? WHERE id = ?`, ['{oops', 'bad-json']);
        const before = await f.exec(`SELECT id, data FROM ${jobs} WHERE id <> ? ORDER BY id`, ['good']);
        await store.shutdown?.();
        await scheduler.start();
        // Store calls take real time (a server round trip): let it pass between virtual seconds.
        for (let second = 0; second < 30 && (ran.length === 0 || invalid.length < 3); second++) {
          await clock.advance(1_000);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await clock.advance(5_000);
        expect(ran).toStrictEqual(['good']);
        expect([...invalid].sort()).toStrictEqual(['bad-json', 'unknown-task', 'unknown-trigger']);
        expect(await f.exec(`SELECT id, data FROM ${jobs} WHERE id <> ? ORDER BY id`, ['good'])).toStrictEqual(before);
      } finally {
        if (scheduler.state !== 'stopped') await scheduler.shutdown();
      }
    });

    it('turns driver errors into StoreError with the driver error as cause', async () => {
      const f = fixture();
      const p = prefix();
      try {
        const store = await start(f.make(p));
        await store.addJob(makeRecord({ id: 'a' }));
        await f.exec(`DROP TABLE ${f.table(`${p}jobs`)}`);
        for (const call of [() => store.getJobs(), () => store.addJob(makeRecord({ id: 'b' })), () => store.acquireDueJobs(T0, 'A#1', MINUTE, 10)]) {
          const error = (await call().then(() => null, (e: unknown) => e)) as Error & { code?: string; cause?: unknown };
          expect(error?.code).toBe('ERR_STORE');
          expect(error.cause).toBeInstanceOf(Error);
          expect(error.message).toMatch(new RegExp(`${name}|tables`));
        }
      } finally {
        await stopAll();
      }
    });

    const down = fixture().unreachable;
    if (down !== undefined) {
      it('rejects start() on an unreachable server with a StoreError naming host and database, never the password', async () => {
        const store = down.store();
        const error = (await store.start?.(contractContext()).then(() => null, (e: unknown) => e)) as Error & { code: string };
        expect(error.code).toBe('ERR_STORE');
        for (const part of down.where) expect(error.message).toContain(part);
        expect(error.message).not.toContain(down.secret);
        expect(error.cause).toBeInstanceOf(Error);
        await store.shutdown?.();
      });
    }

    it('refuses calls before start() with a StoreError', async () => {
      const store = fixture().make(prefix());
      expect(await codeOf(store.getJobs())).toBe('ERR_STORE');
    });
  });
}
