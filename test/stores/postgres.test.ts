import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresJobStore } from '../../src/stores/postgres.js';
import { fieldAtFault } from '../contracts/harness.js';
import { contractContext, jobStoreContract, makeRecord } from '../contracts/job-store.contract.js';
import { expectWakesEachOther, until, watching } from '../helpers/store-watch.js';
import { sqlStoreContract, type SqlFixture } from '../contracts/sql-store.contract.js';
import { describeWithServer, PG_URL, pgScratch, probe, scratchName } from '../helpers/databases.js';

const server = await probe('postgres');
const scratch = server.ok ? await pgScratch() : null;
afterAll(async () => scratch?.drop());

describeWithServer('PostgreSQL', server, () => {
  const schema = scratch!.schema;
  const admin = scratch!.admin;
  let n = 0;

  jobStoreContract(
    'PostgresJobStore',
    async () => {
      const options = { schema, tablePrefix: `c${n++}_` };
      return { store: new PostgresJobStore({ connectionString: PG_URL }, options), open: () => new PostgresJobStore({ connectionString: PG_URL }, options) };
    },
    { modelRuns: 60, persistent: true, sharedRuns: true },
  );

  sqlStoreContract('PostgreSQL', (): SqlFixture => ({
    unreachable: { store: () => new PostgresJobStore({ connectionString: 'postgres://app:s3cr3t-Pa55@127.0.0.1:1/orders' }), where: ['127.0.0.1:1', 'orders'], secret: 's3cr3t' },
    make: (prefix) => new PostgresJobStore({ connectionString: PG_URL }, { schema, tablePrefix: prefix }),
    async exec(text, values = []) {
      let index = 0;
      const result = await admin.query(text.replace(/\?/g, () => `$${++index}`), values);
      return result.rows as Record<string, unknown>[];
    },
    table: (name) => `"${schema}"."${name}"`,
    v1Layout: (p) => [
      `CREATE TABLE "${schema}"."${p}meta" ("name" varchar(191) primary key, "value" text not null)`,
      `INSERT INTO "${schema}"."${p}meta" ("name", "value") VALUES ('schema_version', '1')`,
      `CREATE TABLE "${schema}"."${p}jobs" ("id_hash" varchar(64) primary key, "id" text collate "C" not null, "data" text not null,
        "trigger_hash" varchar(64) not null, "next_run_time" text, "next_run_ms" bigint, "version" bigint not null,
        "lease_owner" text, "lease_until" bigint, "lease_trigger_hash" varchar(64))`,
      `CREATE INDEX "${p}jobs_lease" ON "${schema}"."${p}jobs" ("lease_until", "next_run_ms")`,
    ],
  }));

  describe('PostgresJobStore', () => {
    it('checks its arguments, naming the field at fault', () => {
      const field = (make: () => unknown): unknown => {
        const fault = fieldAtFault(make);
        return fault === 'no error' ? fault : fault.field;
      };
      expect(field(() => new PostgresJobStore({ connectionString: '' }))).toBe('connection.connectionString');
      expect(field(() => new PostgresJobStore({ pool: {} as never }))).toBe('connection.pool');
      expect(field(() => new PostgresJobStore({ connectionString: PG_URL }, { schema: 'a"b' }))).toBe('options.schema');
      expect(field(() => new PostgresJobStore({ connectionString: PG_URL }, { tablePrefix: 'a-b' }))).toBe('options.tablePrefix');
      expect(field(() => new PostgresJobStore({ connectionString: PG_URL }, { pollInterval: 1 } as never))).toBe('options.pollInterval');
      const store = new PostgresJobStore({ connectionString: PG_URL });
      expect(store.persistent).toBe(true);
      expect('pollInterval' in store).toBe(false);
    });

    it('creates a missing schema, with three stores starting at once', async () => {
      const fresh = scratchName();
      try {
        const stores = [0, 1, 2].map(() => new PostgresJobStore({ connectionString: PG_URL }, { schema: fresh }));
        await Promise.all(stores.map((store) => store.start(contractContext())));
        await stores[0]!.addJob(makeRecord({ id: 'a' }));
        expect((await stores[1]!.getJob('a'))?.id).toBe('a');
        for (const store of stores) await store.shutdown();
      } finally {
        await admin.query(`DROP SCHEMA IF EXISTS "${fresh}" CASCADE`);
      }
    });

    it('uses an application’s pool without ending it', async () => {
      const pool = new pg.Pool({ connectionString: PG_URL, max: 4 });
      const store = new PostgresJobStore({ pool }, { schema, tablePrefix: 'app_pool_' });
      await store.start(contractContext());
      await store.addJob(makeRecord({ id: 'a' }));
      // One client is held for notifications while started.
      expect(pool.totalCount - pool.idleCount).toBe(1);
      await store.shutdown();
      expect(pool.totalCount - pool.idleCount).toBe(0);
      expect((await pool.query('select 1 as one')).rows).toStrictEqual([{ one: 1 }]);
      await pool.end();
    });

    it('wakes the other stores at once when a job is added, changed or removed, and not itself', async () => {
      const options = { schema, tablePrefix: 'notify_' };
      const a = watching();
      const b = watching();
      const storeA = new PostgresJobStore({ connectionString: PG_URL }, options);
      const storeB = new PostgresJobStore({ connectionString: PG_URL }, options);
      await storeA.start(a.context);
      await storeB.start(b.context);
      try {
        await expectWakesEachOther(storeA, a, storeB, b);
      } finally {
        await storeA.shutdown();
        await storeB.shutdown();
      }
    });

    it('survives its connections being cut: logs, reconnects the listener, wakes up, and keeps working', async () => {
      const app = scratchName();
      const url = new URL(PG_URL);
      url.searchParams.set('application_name', app);
      const options = { schema, tablePrefix: 'cut_' };
      const watched = watching();
      const listener = new PostgresJobStore({ connectionString: url.toString() }, options);
      const writer = new PostgresJobStore({ connectionString: PG_URL }, options);
      await listener.start(watched.context);
      await writer.start(contractContext());
      try {
        await listener.addJob(makeRecord({ id: 'a' }));
        const cut = await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [app]);
        expect(cut.rowCount).toBeGreaterThan(0);
        await until(() => watched.logs.some((line) => line.startsWith('warn') && line.includes('notification')), 'the lost connection to be logged');
        await until(() => watched.logs.some((line) => line.includes('restored')), 'the listener to reconnect');
        const afterReconnect = watched.wakeups();
        expect(afterReconnect).toBeGreaterThan(0);
        await writer.addJob(makeRecord({ id: 'b' }));
        await until(() => watched.wakeups() > afterReconnect, 'a notification after the reconnect');
        // The pool dropped its dead clients; calls work again.
        let jobs: unknown[] = [];
        for (let i = 0; i < 3 && jobs.length === 0; i++) jobs = await listener.getJobs().catch(() => []);
        expect(jobs).toHaveLength(2);
      } finally {
        await listener.shutdown();
        await writer.shutdown();
      }
    });
  });
});
