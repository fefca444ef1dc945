/**
 * The PostgreSQL store: two schedulers ("nodes", as on two app servers) share the jobs of one
 * database. Every due slot is started exactly once among them, and a change made on one node
 * reaches the other at once (LISTEN/NOTIFY). Then a third scheduler, started after both have shut
 * down, finds the job still there.
 *
 * Run:  TIMETABLE_PG_URL=postgres://postgres@127.0.0.1:5432/test npx tsx examples/stores/postgres.ts
 *       (or DATABASE_URL=postgres://...; without either it says what to set and exits with 0)
 * See:  the tables created in a fresh schema; four runs of a one-second job, each with the node
 *       that ran it; "each slot ran once: yes"; the job found again by node-c; the schema dropped.
 *       ~5 s.
 *
 * (An application imports from 'timetable' and 'timetable/stores/postgres', and installs `pg`;
 * the examples import the sources so that they run from a checkout without a build.)
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Scheduler } from '../../src/index.js';
import { shareOneJob } from './share-one-job.js';
import { PostgresJobStore } from '../../src/stores/postgres.js';

const databaseUrl = process.env.DATABASE_URL;
const url = process.env.TIMETABLE_PG_URL || (/^postgres(ql)?:/.test(databaseUrl ?? '') ? databaseUrl : undefined) || exitWithHint();

function exitWithHint(): never {
  console.log(
    'This example needs a PostgreSQL server: set TIMETABLE_PG_URL (or DATABASE_URL) to its URL, e.g.\n' +
      '  TIMETABLE_PG_URL=postgres://postgres@127.0.0.1:5432/test npx tsx examples/stores/postgres.ts',
  );
  process.exit(0);
}

// A fresh schema, so the example never touches existing tables; dropped at the end.
const schema = `timetable_example_${randomBytes(4).toString('hex')}`;
const { host, pathname } = new URL(url); // printed without the user and password
const tasks = { report: () => 'report sent' };

/** A scheduler with its own store (its own pool) on the shared schema. */
function node(identity: string): Scheduler {
  const store = new PostgresJobStore({ connectionString: url }, { schema });
  return new Scheduler({ identity, tasks, stores: { default: store } });
}

try {
  await shareOneJob(node, `${host}${pathname}, schema "${schema}" (tables timetable_jobs, timetable_runs, timetable_meta)`, 'is notified at once');
} finally {
  await dropSchema().catch((error: unknown) => console.error(`could not drop schema "${schema}": ${String(error)}`));
}

async function dropSchema(): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    console.log(`schema "${schema}" dropped`);
  } finally {
    await admin.end();
  }
}
