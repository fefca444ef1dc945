/**
 * The MySQL / MariaDB store: two schedulers ("nodes", as on two app servers) share the jobs of
 * one database. Every due slot is started exactly once among them; MySQL cannot notify, so each
 * node looks for the other's changes every `pollInterval` seconds. Then a third scheduler,
 * started after both have shut down, finds the job still there.
 *
 * Run:  TIMETABLE_MYSQL_URL=mysql://root@127.0.0.1:3306/test npx tsx examples/stores/mysql.ts
 *       (or DATABASE_URL=mysql://...; without either it says what to set and exits with 0)
 * See:  the tables created under a fresh prefix; four runs of a one-second job, each with the
 *       node that ran it; "each slot ran once: yes"; the job found again by node-c; the tables
 *       dropped. ~5 s.
 *
 * (An application imports from 'timetable' and 'timetable/stores/mysql', and installs `mysql2`;
 * the examples import the sources so that they run from a checkout without a build.)
 */
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { Scheduler } from '../../src/index.js';
import { shareOneJob } from './share-one-job.js';
import { MysqlJobStore } from '../../src/stores/mysql.js';

const databaseUrl = process.env.DATABASE_URL;
const url = process.env.TIMETABLE_MYSQL_URL || (/^mysql:/.test(databaseUrl ?? '') ? databaseUrl : undefined) || exitWithHint();

function exitWithHint(): never {
  console.log(
    'This example needs a MySQL 8+ or MariaDB 10.6+ server: set TIMETABLE_MYSQL_URL (or DATABASE_URL) to its URL, e.g.\n' +
      '  TIMETABLE_MYSQL_URL=mysql://root@127.0.0.1:3306/test npx tsx examples/stores/mysql.ts',
  );
  process.exit(0);
}

// A fresh table prefix, so the example never touches existing tables; they are dropped at the end.
const prefix = `example_${randomBytes(4).toString('hex')}_`;
const tables = ['runs', 'jobs', 'meta'].map((table) => prefix + table);
const { host, pathname } = new URL(url); // printed without the user and password
const tasks = { report: () => 'report sent' };

/** A scheduler with its own store (its own pool) on the shared tables. */
function node(identity: string): Scheduler {
  const store = new MysqlJobStore({ uri: url }, { tablePrefix: prefix, pollInterval: 0.5 });
  return new Scheduler({ identity, tasks, stores: { default: store } });
}

try {
  await shareOneJob(node, `${host}${pathname}, tables ${tables.join(', ')}`, 'sees it within its pollInterval (0.5 s)');
} finally {
  await dropTables().catch((error: unknown) => console.error(`could not drop the tables: ${String(error)}`));
}

async function dropTables(): Promise<void> {
  const admin = await mysql.createConnection({ uri: url });
  try {
    await admin.query(`DROP TABLE IF EXISTS ${tables.map((table) => `\`${table}\``).join(', ')}`);
    console.log(`tables ${tables.join(', ')} dropped`);
  } finally {
    await admin.end();
  }
}
