import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { MysqlJobStore } from '../../src/stores/mysql.js';
import { fieldAtFault } from '../contracts/harness.js';
import { contractContext, jobStoreContract, makeRecord } from '../contracts/job-store.contract.js';
import { sqlStoreContract, type SqlFixture } from '../contracts/sql-store.contract.js';
import { describeWithServer, mysqlScratch, probe, withDatabase } from '../helpers/databases.js';

const server = await probe('mysql');
const scratch = server.ok ? await mysqlScratch() : null;
afterAll(async () => scratch?.drop());

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:01:00.000Z';
const MINUTE = 60_000;

describeWithServer('MySQL', server, () => {
  const url = scratch!.url;
  const admin = scratch!.admin;
  let n = 0;

  jobStoreContract(
    'MysqlJobStore',
    async () => {
      const options = { tablePrefix: `c${n++}_` };
      return { store: new MysqlJobStore({ uri: url }, options), open: () => new MysqlJobStore({ uri: url }, options) };
    },
    { modelRuns: 60, persistent: true, sharedRuns: true },
  );

  const hash = 'char(64) character set ascii collate ascii_bin';
  const table = 'engine=InnoDB default charset=utf8mb4 collate=utf8mb4_nopad_bin';
  sqlStoreContract('MySQL', (): SqlFixture => ({
    unreachable: { store: () => new MysqlJobStore({ uri: 'mysql://app:s3cr3t-Pa55@127.0.0.1:1/orders' }), where: ['127.0.0.1:1', 'orders'], secret: 's3cr3t' },
    make: (prefix) => new MysqlJobStore({ uri: url }, { tablePrefix: prefix }),
    async exec(text, values = []) {
      const [rows] = await admin.query(text, values);
      return Array.isArray(rows) ? (rows as Record<string, unknown>[]).map((row) => ({ ...row })) : [];
    },
    table: (name) => `\`${name}\``,
    v1Layout: (p) => [
      `CREATE TABLE \`${p}meta\` (\`name\` varchar(191) primary key, \`value\` text not null) ${table}`,
      `INSERT INTO \`${p}meta\` (\`name\`, \`value\`) VALUES ('schema_version', '1')`,
      `CREATE TABLE \`${p}jobs\` (\`id_hash\` ${hash} primary key, \`id\` longtext not null, \`data\` longtext not null,
        \`trigger_hash\` ${hash} not null, \`next_run_time\` text, \`next_run_ms\` bigint, \`version\` bigint not null,
        \`lease_owner\` text, \`lease_until\` bigint, \`lease_trigger_hash\` ${hash}) ${table}`,
      `CREATE INDEX \`${p}jobs_lease\` ON \`${p}jobs\` (\`lease_until\`, \`next_run_ms\`)`,
    ],
  }));

  describe('MysqlJobStore', () => {
    it('checks its arguments, naming the field at fault', () => {
      const field = (make: () => unknown): unknown => {
        const fault = fieldAtFault(make);
        return fault === 'no error' ? fault : fault.field;
      };
      expect(field(() => new MysqlJobStore({ uri: '' }))).toBe('connection.uri');
      expect(field(() => new MysqlJobStore({ pool: {} as never }))).toBe('connection.pool');
      expect(field(() => new MysqlJobStore({ uri: url }, { tablePrefix: 'a`b' }))).toBe('options.tablePrefix');
      expect(field(() => new MysqlJobStore({ uri: url }, { pollInterval: 5_000 }))).toBe('options.pollInterval');
      expect(field(() => new MysqlJobStore({ uri: url }, { schema: 'x' } as never))).toBe('options.schema');
      expect(new MysqlJobStore({ uri: url }).pollInterval).toBe(1);
    });

    it('uses an application’s pool, callback or promise API, without ending it', async () => {
      const callbackPool = mysql.createPool({ uri: url, connectionLimit: 2 });
      const promisePool = mysqlPromise.createPool({ uri: url, connectionLimit: 2 });
      for (const pool of [callbackPool, promisePool]) {
        const store = new MysqlJobStore({ pool }, { tablePrefix: 'app_pool_' });
        await store.start(contractContext());
        await store.removeAllJobs();
        await store.addJob(makeRecord({ id: 'a' }));
        expect((await store.getJob('a'))?.id).toBe('a');
        await store.shutdown();
      }
      const [rows] = await promisePool.query('select 1 as one');
      expect(rows).toStrictEqual([{ one: 1 }]);
      await new Promise<void>((resolve) => callbackPool.query('select 1', () => resolve()));
      await promisePool.end();
      await new Promise((resolve) => callbackPool.end(resolve));
    });

    it('survives its connections being killed by the server: the call after fails or works, none crashes the process', async () => {
      const database = `${scratch!.database}_k`;
      await admin.query(`CREATE DATABASE \`${database}\``);
      const store = new MysqlJobStore({ uri: withDatabase(url, database) });
      try {
        await store.start(contractContext());
        await store.addJob(makeRecord({ id: 'a' }));
        await Promise.all([store.getJobs(), store.getJobs(), store.getJob('a')]);
        const [rows] = await admin.query('SELECT id FROM information_schema.processlist WHERE db = ?', [database]);
        const ids = (rows as { id: number }[]).map((row) => row.id);
        expect(ids.length).toBeGreaterThan(0);
        for (const id of ids) await admin.query('KILL ?', [id]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const first = await store.getJobs().then((jobs) => jobs.length, (error: { code?: string }) => error.code);
        expect([1, 'ERR_STORE']).toContain(first);
        let jobs: unknown[] = [];
        for (let i = 0; i < 5 && jobs.length === 0; i++) jobs = await store.getJobs().catch(() => []);
        expect(jobs).toHaveLength(1);
      } finally {
        await store.shutdown();
        await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      }
    });

    it('tries finishRuns again when InnoDB picks it as a deadlock victim', async () => {
      const store = new MysqlJobStore({ uri: url }, { tablePrefix: 'dl_' });
      await store.start(contractContext());
      const other = await mysqlPromise.createConnection({ uri: url });
      try {
        const row = (id: string) => [id, 'h'.repeat(64), 'job', 'n2', T0, Date.now() + 60_000, T0];
        const insert = 'INSERT INTO `dl_runs` (run_id, job_hash, job_id, node, scheduled_run_time, lease_until, started_at) VALUES ?';
        await other.query(insert, [[row('r1'), row('r2')]]);
        // Another transaction (larger, so InnoDB rolls the store's back) holds r2 ...
        await other.query('BEGIN');
        await other.query(insert, [Array.from({ length: 50 }, (_, k) => row(`filler-${k}`))]);
        await other.query("DELETE FROM `dl_runs` WHERE run_id = 'r2'");
        // ... the store deletes r1 and waits for r2 ...
        const finishing = store.finishRuns(['r1', 'r2']).then(() => 'done', (error: Error) => error.message);
        await new Promise((resolve) => setTimeout(resolve, 300));
        // ... and the other transaction wants r1: a deadlock, which the store loses and retries.
        await other.query("DELETE FROM `dl_runs` WHERE run_id = 'r1'");
        await other.query('ROLLBACK');
        expect(await finishing).toBe('done');
        const [left] = await other.query("SELECT run_id FROM `dl_runs` WHERE run_id IN ('r1', 'r2')");
        expect(left).toEqual([]);
      } finally {
        await other.end();
        await store.shutdown();
      }
    });

    it('compares ids, owners and nodes byte for byte (no case folding, no trailing-space padding)', async () => {
      const store = new MysqlJobStore({ uri: url }, { tablePrefix: 'exact_' });
      await store.start(contractContext());
      try {
        for (const id of ['a', 'A', 'a ']) await store.addJob(makeRecord({ id, nextRunTime: T0 }));
        expect((await store.getJobs()).map((record) => record.id)).toStrictEqual(['A', 'a', 'a ']);
        expect((await store.acquireDueJobs(T0, 'owner', MINUTE, 1)).map((record) => record.id)).toStrictEqual(['A']);
        // Another owner whose name differs only in case or a trailing space is another owner.
        expect(await store.releaseJobs('OWNER', [{ id: 'A', acquiredRunTime: T0, nextRunTime: null }])).toStrictEqual([]);
        expect(await store.releaseJobs('owner ', [{ id: 'A', acquiredRunTime: T0, nextRunTime: null }])).toStrictEqual([]);
        expect(await store.releaseJobs('owner', [{ id: 'A', acquiredRunTime: T0, nextRunTime: null }])).toStrictEqual(['A']);
        await store.commitJobs('x', [], [{ runId: 'r1', jobId: 'a', node: 'node', scheduledRunTime: T0, maxInstances: 5 }], T0, MINUTE);
        await store.extendRuns('node ', ['r1'], T0, 10 * MINUTE);
        await store.extendRuns('NODE', ['r1'], T0, 10 * MINUTE);
        expect((await store.reapRuns(T1)).map((run) => run.runId)).toStrictEqual(['r1']);
      } finally {
        await store.shutdown();
      }
    });
  });
});
